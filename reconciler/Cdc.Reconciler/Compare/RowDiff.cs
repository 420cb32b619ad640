using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>Classifies fetched rows into missing, extra and divergent (with the differing columns).</summary>
internal static class RowDiff
{
    public static List<Finding> Classify(TablePair pair, IEnumerable<SideRow> primaryRows, IEnumerable<SideRow> storeRows)
    {
        // Two store rows whose keys have one canonical text (a text key's trailing blanks where the primary's is
        // char(n)): the first stands for the key, the others are extra.
        var findings = new List<Finding>();
        var store = new Dictionary<string, SideRow>(StringComparer.Ordinal);
        foreach (var row in storeRows)
        {
            if (!store.TryAdd(row.Key, row) && row.Visible)
            {
                findings.Add(new Finding(pair.Name, DriftKind.Extra, row.Key, row.KeyValues, [], row));
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in primaryRows)
        {
            if (!seen.Add(row.Key))
            {
                continue;
            }

            if (!store.TryGetValue(row.Key, out var stored) || !stored.Visible)
            {
                findings.Add(new Finding(pair.Name, DriftKind.Missing, row.Key, row.KeyValues, [], stored));
                continue;
            }

            var differing = pair.Columns.Where((c, i) => !string.Equals(row.Values[i], stored.Values[i], StringComparison.Ordinal)).Select(c => c.Primary.Name).ToList();
            if (differing.Count > 0)
            {
                findings.Add(new Finding(pair.Name, DriftKind.Divergent, row.Key, row.KeyValues, differing, stored));
            }
        }

        findings.AddRange(store.Values
            .Where(r => r.Visible && !seen.Contains(r.Key))
            .Select(r => new Finding(pair.Name, DriftKind.Extra, r.Key, r.KeyValues, [], r)));
        return findings;
    }
}
