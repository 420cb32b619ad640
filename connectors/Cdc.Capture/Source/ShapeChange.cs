namespace Cdc.Capture.Source;

/// <summary>
/// What a new Relation message changed, and whether the rows already sent still stand. pgoutput's Relation messages
/// carry no column numbers, so a renamed column looks like a dropped one plus an added one, and a volatile default
/// (<c>now()</c>) gives the existing rows values no change event carries. Only appended columns whose default is
/// constant (or absent) leave every sent row right: the sink gives its stored rows that default, as PostgreSQL gave
/// them. Every other change needs the table re-read (docs/design.md#schema-changes).
/// </summary>
internal static class ShapeChange
{
    /// <returns>Why the table must be re-read, or null when the rows already sent still stand.</returns>
    public static string? ResnapshotReason(TableShape before, TableShape after)
    {
        if (before.QualifiedName != after.QualifiedName)
        {
            return $"renamed from {before.QualifiedName}";
        }

        var kept = Math.Min(before.Columns.Count, after.Columns.Count);
        for (var i = 0; i < kept; i++)
        {
            var (was, now) = (before.Columns[i], after.Columns[i]);
            if (was.Name != now.Name)
            {
                return $"column {was.Name} renamed or dropped ({now.Name} in its place)";
            }

            if (was.PgType != now.PgType)
            {
                return $"column {now.Name} changed type from {was.PgType} to {now.PgType}";
            }

            if (was.IsKey != now.IsKey)
            {
                return $"the key changed (column {now.Name})";
            }
        }

        if (before.Columns.Count > after.Columns.Count)
        {
            return $"column {before.Columns[kept].Name} dropped";
        }

        return after.Columns.Skip(kept).FirstOrDefault(c => !c.ConstantDefault) is { } added
            ? $"column {added.Name} added with a default that is not a constant"
            : null;
    }
}
