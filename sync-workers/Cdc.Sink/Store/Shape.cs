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
        var columnOrder = table.Table.DataColumns.Select(c => c.Name).ToArray();
        if (columnOrder.Length > 64)
        {
            return BySignature(table, columnOrder);
        }

        // A row's present columns as a bit mask over the table's columns: no list or text is built per row.
        var shapes = new Dictionary<(ChangeKind, ulong), Shape>();
        foreach (var row in table.Rows.Values.Concat(table.Appends))
        {
            var mask = 0UL;
            for (var i = 0; i < columnOrder.Length; i++)
            {
                if (row.Values.ContainsKey(columnOrder[i]))
                {
                    mask |= 1UL << i;
                }
            }

            if (!shapes.TryGetValue((row.Kind, mask), out var shape))
            {
                shape = new Shape(shapes.Count, row.Kind, columnOrder.Where((_, i) => (mask & (1UL << i)) != 0).ToList());
                shapes[(row.Kind, mask)] = shape;
            }

            shape.Rows.Add(row);
        }

        return [.. shapes.Values];
    }

    private static List<Shape> BySignature(TableChanges table, string[] columnOrder)
    {
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var row in table.Rows.Values.Concat(table.Appends))
        {
            var columns = columnOrder.Where(row.Values.ContainsKey).ToList();
            var signature = $"{row.Kind}|{string.Join('\u001f', columns)}";
            if (!shapes.TryGetValue(signature, out var shape))
            {
                shape = new Shape(shapes.Count, row.Kind, columns);
                shapes[signature] = shape;
            }

            shape.Rows.Add(row);
        }

        return [.. shapes.Values];
    }
}
