using System.Text.Json;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Connect;

public static partial class ConnectValue
{
    /// <summary>Converts a JsonConverter value according to its schema (see the table on <see cref="ConnectValue"/>).</summary>
    /// <exception cref="EventDecodeException">The value does not fit the schema; the message names the problem.</exception>
    public static object? FromJson(JsonElement element, ConnectSchema schema) => FromJson(element, schema, path: null);

    /// <summary>As <see cref="FromJson(JsonElement, ConnectSchema)"/>; <paramref name="path"/> (e.g. a column name) prefixes error messages.</summary>
    /// <exception cref="EventDecodeException">The value does not fit the schema.</exception>
    public static object? FromJson(JsonElement element, ConnectSchema schema, string? path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            return JsonValueReader.Read(element, schema, column: true);
        }
        catch (ValueDecodeError error)
        {
            throw new EventDecodeException(error.Describe(path), error);
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new EventDecodeException($"{path ?? "value"}: {error.Message}", error);
        }
    }
}
