using System.Globalization;
using System.Text.Json;
using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>
/// The captured tables' shapes as the connector last emitted them, kept with the slot's state
/// (<see cref="ReplicationSetup.SaveShapesAsync"/>): pgoutput announces a new shape only before the table's next change
/// in the WAL, so DDL done while the connector was stopped, with nothing older still to stream, would otherwise never be
/// compared with the shape the stores hold (docs/design.md#schema-changes). Per relation id: schema and table, then each
/// column's name, <c>format_type()</c> and whether it is in the key.
/// </summary>
internal static class SavedShapes
{
    private const string Key = "key";

    public static string Serialize(IEnumerable<TableShape> shapes) =>
        JsonSerializer.Serialize(shapes
            .OrderBy(s => s.RelationId)
            .ToDictionary(
                s => s.RelationId.ToString(CultureInfo.InvariantCulture),
                s => new[] { new[] { s.Schema, s.Table } }.Concat(s.Columns.Select(c => new[] { c.Name, c.PgType, c.IsKey ? Key : "" })).ToArray()));

    /// <returns>The saved shapes by relation id; a table whose saved types no longer map (or unreadable JSON) is left out.</returns>
    public static Dictionary<uint, TableShape> Parse(string json, string topicPrefix, ValueHandling handling)
    {
        var shapes = new Dictionary<uint, TableShape>();
        Dictionary<string, string[][]>? saved;
        try
        {
            saved = JsonSerializer.Deserialize<Dictionary<string, string[][]>>(json);
        }
        catch (JsonException)
        {
            return shapes;
        }

        foreach (var (id, rows) in saved ?? [])
        {
            if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var relationId) || rows.Length == 0 || rows[0].Length != 2 ||
                rows.Skip(1).Any(c => c.Length != 3))
            {
                continue;
            }

            try
            {
                var columns = rows.Skip(1).Select(c => new CapturedColumn(c[0], c[1], PostgresTypeMapping.SchemaFor(c[1], handling), c[2] == Key)).ToList();
                shapes[relationId] = new TableShape(topicPrefix, relationId, rows[0][0], rows[0][1], columns);
            }
            catch (Exception e) when (e is ArgumentException or Cdc.Schemas.EventDecodeException)
            {
                // A type this version no longer maps: the table is compared from its next Relation message on.
            }
        }

        return shapes;
    }
}
