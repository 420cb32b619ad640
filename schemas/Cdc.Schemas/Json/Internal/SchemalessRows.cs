using System.Text.Json;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// A row from a message without schema: each value stays the raw <see cref="JsonElement"/> (schema null) for
/// <see cref="RowImage.WithSchema"/>, except JSON null (→ null) and the TOAST placeholder text, which needs no
/// schema to recognise (→ <see cref="Unavailable.Value"/>). The elements must come from a document that is
/// never disposed.
/// </summary>
internal static class SchemalessRows
{
    public static RowImage Read(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new ValueDecodeError($"expected an object, got {JsonText.Kind(row)}");
        }

        var count = 0;
        foreach (var unused in row.EnumerateObject())
        {
            count++;
        }

        var columns = new Column[count];
        var i = 0;
        foreach (var property in row.EnumerateObject())
        {
            var value = property.Value;
            object? raw = value.ValueKind == JsonValueKind.Null ? null
                : ToastPlaceholder.IsText(value) ? Unavailable.Value
                : value;
            columns[i++] = new Column(property.Name, raw, null);
        }

        return new RowImage(columns, owned: true);
    }
}
