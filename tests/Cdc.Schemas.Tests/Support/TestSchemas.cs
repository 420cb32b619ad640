using System.Text.Json;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Support;

internal static class TestSchemas
{
    public static ConnectSchema Of(ConnectType type, string? name = null, bool optional = true, params (string Key, string Value)[] parameters) =>
        new()
        {
            Type = type,
            Name = name,
            Optional = optional,
            Parameters = parameters.ToDictionary(p => p.Key, p => p.Value),
        };

    public static ConnectSchema Decimal(int scale) =>
        Of(ConnectType.Bytes, ConnectLogicalNames.Decimal, parameters: ("scale", scale.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static ConnectSchema ArrayOf(ConnectSchema items) => new() { Type = ConnectType.Array, Items = items };

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static object? Convert(string json, ConnectSchema schema) => ConnectValue.FromJson(Parse(json), schema);
}
