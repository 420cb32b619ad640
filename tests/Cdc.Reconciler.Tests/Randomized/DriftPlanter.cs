using Cdc.Common.Postgres;
using Cdc.Store.Mapping;

namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>
/// Plants drift in a generated table, on either side, and writes down what must be found: rows missing from the store
/// (deleted there, flagged deleted, or new on the primary), extra rows (deleted on the primary, or copied under a new
/// key in the store) and changed rows (columns moved to another pool value on the primary, among them NULL against
/// <c>\N</c> and a separator moved from one column to the next).
/// </summary>
internal sealed class DriftPlanter(Random random, GeneratedTable table)
{
    public List<string> PrimarySql { get; } = [];

    public List<string> StoreSql { get; } = [];

    public List<PlantedDrift> Planted { get; } = [];

    public void Plant(int count)
    {
        var rows = table.Rows.Keys.OrderBy(_ => random.Next()).ToList();
        var next = 0;
        int Row() => rows[next++];
        var soft = table.DeleteMode == DeleteMode.Soft;
        var quoted = PgIdentifier.Quote("public", table.Name);
        for (var i = 0; i < count; i++)
        {
            switch (i % 8)
            {
                case 0:
                    {
                        var n = Row();
                        StoreSql.Add(soft && i % 16 == 0
                            ? $"UPDATE {quoted} SET _cdc_deleted = true WHERE {table.KeyMatch(n)}"
                            : $"DELETE FROM {quoted} WHERE {table.KeyMatch(n)}");
                        Add("missing", n);
                        break;
                    }

                case 1:
                    {
                        var n = table.NextRow++;
                        table.Rows[n] = [.. table.Columns.Select(c => random.Next(-1, c.Kind.Pool.Count))];
                        PrimarySql.Add(table.InsertSql([n]));
                        Add("missing", n);
                        break;
                    }

                case 2:
                    {
                        var n = Row();
                        PrimarySql.Add($"DELETE FROM {quoted} WHERE {table.KeyMatch(n)}");
                        table.Rows.Remove(n);
                        Add("extra", n);
                        break;
                    }

                case 3:
                    {
                        var n = Row();
                        var copy = table.NextRow++;
                        var keys = table.Key.Columns.Select(k => PgIdentifier.Quote(k.Column)).ToList();
                        var others = table.Columns.Where(c => c.Name != table.Excluded).Select(c => PgIdentifier.Quote(table.StoreColumn(c.Name)))
                            .Append("_cdc_commit_lsn").Append("_cdc_event_lsn").ToList();
                        StoreSql.Add($"INSERT INTO {quoted} ({string.Join(", ", keys.Concat(others))}) SELECT {string.Join(", ", table.KeyLiterals(copy).Concat(others))} FROM {quoted} WHERE {table.KeyMatch(n)}");
                        Add("extra", copy);
                        break;
                    }

                default:
                    Change(Row());
                    break;
            }
        }
    }

    /// <summary>Moves one or two compared columns of row n to other values on the primary (the store keeps the old ones).</summary>
    private void Change(int n)
    {
        var values = table.Rows[n];
        var compared = Enumerable.Range(0, table.Columns.Count).Where(i => table.Columns[i].Name != table.Excluded).ToList();
        var shift = ShiftColumns();
        List<int> changed;
        if (shift is { } pair && values[pair.A] == Pool(pair.A, "x\u001fy") && values[pair.B] == Pool(pair.B, "z"))
        {
            // ('x' + U+001F + 'y', 'z') becomes ('x', 'y' + U+001F + 'z'): the same text once joined by U+001F.
            values[pair.A] = Pool(pair.A, "x");
            values[pair.B] = Pool(pair.B, "y\u001fz");
            changed = [pair.A, pair.B];
        }
        else
        {
            changed = [.. compared.OrderBy(_ => random.Next()).Take(random.Next(1, 3))];
            foreach (var column in changed)
            {
                var pool = table.Columns[column].Kind.Pool.Count;
                var escapedNull = Pool(column, "\\N");
                // NULL against the text \N, both ways, where the column has it; else any other value or NULL.
                // States: 0 = NULL, k = pool value k - 1; any state but the current one.
                var state = values[column] + 1;
                values[column] = escapedNull >= 0 && values[column] == escapedNull ? -1
                    : escapedNull >= 0 && values[column] == -1 ? escapedNull
                    : ((state + 1 + random.Next(pool)) % (pool + 1)) - 1;
            }
        }

        var set = changed.Select(c => $"{PgIdentifier.Quote(table.Columns[c].Name)} = {table.Value(c, values[c])}");
        PrimarySql.Add($"UPDATE {PgIdentifier.Quote("public", table.Name)} SET {string.Join(", ", set)} WHERE {table.KeyMatch(n)}");
        Add("divergent", n, changed.Select(c => table.Columns[c].Name));
    }

    /// <summary>Two text columns of the table, for the separator shift.</summary>
    private (int A, int B)? ShiftColumns()
    {
        var texts = Enumerable.Range(0, table.Columns.Count).Where(i => table.Columns[i].Kind.Name == "text" && table.Columns[i].Name != table.Excluded).ToList();
        return texts.Count >= 2 ? (texts[0], texts[1]) : null;
    }

    private int Pool(int column, string text) => table.Columns[column].Kind.Pool.ToList().IndexOf(ColumnKind.Literal(text));

    private void Add(string kind, int n, IEnumerable<string>? columns = null) =>
        Planted.Add(new PlantedDrift(table.Name, kind, string.Join("\u0001", table.Key.Values(n)), string.Join(",", (columns ?? []).Order(StringComparer.Ordinal))));
}
