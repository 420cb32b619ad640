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
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        var columnOrder = table.Table.DataColumns.Select(c => c.Name).ToList();
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
