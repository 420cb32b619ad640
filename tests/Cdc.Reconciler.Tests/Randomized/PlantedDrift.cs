namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>One planted difference, as both judges must report it.</summary>
/// <param name="Key">The key's texts joined by U+0001 (as PostgreSQL prints them, UTC).</param>
/// <param name="Columns">For a changed row: the primary's names of the changed columns, sorted, comma-separated.</param>
internal sealed record PlantedDrift(string Table, string Kind, string Key, string Columns)
{
    public override string ToString() => $"{Table} {Kind} [{Key.Replace("\u0001", " | ", StringComparison.Ordinal)}]{(Columns.Length > 0 ? " " + Columns : "")}";
}
