using Cdc.Sink.Planning;
using Cdc.Store.Writes;

namespace Cdc.Sink.Store;

/// <summary>
/// Rows of one table that share a kind and a set of present columns, applied by one statement. Usually a
/// table has one upsert shape per batch; unchanged TOAST columns or a mid-batch schema change add more.
/// </summary>
internal sealed record Shape(int Id, ChangeKind Kind, IReadOnlyList<string> Columns)
{
    public List<RowChange> Rows { get; } = [];

    public static List<Shape> Of(TableChanges table)
    {
        var shapes = new Dictionary<(ChangeKind, string), Shape>();
        var columnOrder = table.Table.DataColumns.Select(c => c.Name).ToList();
        Shape? last = null;
        foreach (var row in table.Rows.Values.Concat(table.Appends))
        {
            // A row's values are named by the table's data columns: one with all of them has every column (the usual
            // row: checked without building its column list).
            var all = row.Values.Count == columnOrder.Count;
            if (last is null || last.Kind != row.Kind || !(all ? last.Columns.Count == columnOrder.Count : Matches(last.Columns, columnOrder, row)))
            {
                var columns = all ? columnOrder : columnOrder.Where(row.Values.ContainsKey).ToList();
                var signature = (row.Kind, string.Join('\u001f', columns));
                if (!shapes.TryGetValue(signature, out last))
                {
                    last = new Shape(shapes.Count, row.Kind, columns);
                    shapes[signature] = last;
                }
            }

            last.Rows.Add(row);
        }

        return [.. shapes.Values];
    }

    private static bool Matches(IReadOnlyList<string> shapeColumns, List<string> columnOrder, RowChange row)
    {
        var at = 0;
        foreach (var column in columnOrder)
        {
            if (row.Values.ContainsKey(column))
            {
                if (at == shapeColumns.Count || !ReferenceEquals(shapeColumns[at], column))
                {
                    return false;
                }

                at++;
            }
        }

        return at == shapeColumns.Count;
    }
}
