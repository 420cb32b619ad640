using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>Classifies fetched rows into missing, extra and divergent (with the differing columns).</summary>
internal static class RowDiff
{
    public static List<Finding> Classify(TablePair pair, IEnumerable<SideRow> primaryRows, IEnumerable<SideRow> storeRows)
    {
        var store = storeRows.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var findings = new List<Finding>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in primaryRows)
        {
            seen.Add(row.Key);
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
