using System.Text.Json;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Tests.Support;

/// <summary>
/// Compares a re-encoded JsonConverter message with the original, JSON tree against JSON tree (property order
/// included), ignoring only what the decoded model does not carry:
/// <list type="bullet">
/// <item>schema <c>doc</c> attributes (ConnectSchema has no doc);</item>
/// <item>the spelling of values whose model form is normalised, compared decoded instead: Decimal (a
/// <c>decimal.format=NUMERIC</c> number comes back as BASE64), ZonedTimestamp (any offset comes back as UTC, digits
/// past 100 ns are dropped), NanoTimestamp/NanoTime (100 ns), Json (an hstore TOAST placeholder object comes back as
/// the plain placeholder text; both are "unavailable"), Timestamp/MicroTimestamp (0001-01-01T00:00 is
/// <see cref="DateTime.MinValue"/>, which the model shares with -infinity and writes as its sentinel);</item>
/// <item>a null where the schema has a default, written as the default: the model decodes a null
/// <c>source.snapshot</c> as its default "false" (JsonConverter's <c>replace.null.with.default</c>, true by default,
/// writes the same).</item>
/// </list>
/// </summary>
internal static class JsonEquivalence
{
    private static readonly HashSet<string> NormalisedLogicalTypes =
    [
        ConnectLogicalNames.Decimal, ConnectLogicalNames.ZonedTimestamp, ConnectLogicalNames.NanoTimestamp,
        ConnectLogicalNames.NanoTime, ConnectLogicalNames.Json, ConnectLogicalNames.Timestamp, ConnectLogicalNames.MicroTimestamp,
    ];

    /// <summary>Both null, or both equivalent messages; <paramref name="payloadSchema"/> types a schemaless payload.</summary>
    public static void AssertEquivalent(byte[]? expected, byte[]? actual, ConnectSchema? payloadSchema, string where)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{where}: one message is null");
            return;
        }

        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        if (e.RootElement.ValueKind == JsonValueKind.Object && e.RootElement.TryGetProperty("schema", out var schema))
        {
            Assert.Equal(["schema", "payload"], a.RootElement.EnumerateObject().Select(p => p.Name));
            Schema(schema, a.RootElement.GetProperty("schema"), where + ".schema");
            Payload(e.RootElement.GetProperty("payload"), a.RootElement.GetProperty("payload"), FixtureSchemas.Of(expected), where);
        }
        else
        {
            Payload(e.RootElement, a.RootElement, payloadSchema, where);
        }
    }

    private static void Schema(JsonElement expected, JsonElement actual, string where)
    {
        if (expected.ValueKind == JsonValueKind.Object)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Object, $"{where}: not an object");
            var expectedProperties = expected.EnumerateObject().Where(p => p.Name != "doc").ToList();
            Assert.True(
                expectedProperties.Select(p => p.Name).SequenceEqual(actual.EnumerateObject().Select(p => p.Name)),
                $"{where}: attributes {string.Join(",", expectedProperties.Select(p => p.Name))} != {string.Join(",", actual.EnumerateObject().Select(p => p.Name))}");
            foreach (var property in expectedProperties)
            {
                Schema(property.Value, actual.GetProperty(property.Name), $"{where}.{property.Name}");
            }

            return;
        }

        if (expected.ValueKind == JsonValueKind.Array)
        {
            Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: array length");
            for (var i = 0; i < expected.GetArrayLength(); i++)
            {
                Schema(expected[i], actual[i], $"{where}[{i}]");
            }

            return;
        }

        Assert.True(JsonElement.DeepEquals(expected, actual), $"{where}: {expected.GetRawText()} != {actual.GetRawText()}");
    }

    private static void Payload(JsonElement expected, JsonElement actual, ConnectSchema? schema, string where)
    {
        if (JsonElement.DeepEquals(expected, actual) && SameOrder(expected, actual))
        {
            return;
        }

        if (expected.ValueKind == JsonValueKind.Null && schema?.DefaultValue is { } defaultValue)
        {
            ChangeRecordAssert.Value(defaultValue, ConnectValue.FromJson(actual, schema), where);
            return;
        }

        if (schema?.Name is { } name && NormalisedLogicalTypes.Contains(name))
        {
            ChangeRecordAssert.Value(ConnectValue.FromJson(expected, schema), ConnectValue.FromJson(actual, schema), where);
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object when actual.ValueKind == JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).ToList();
                Assert.True(
                    names.SequenceEqual(actual.EnumerateObject().Select(p => p.Name)),
                    $"{where}: fields {string.Join(",", names)} != {string.Join(",", actual.EnumerateObject().Select(p => p.Name))}");
                foreach (var property in expected.EnumerateObject())
                {
                    var child = schema?.Type == ConnectType.Map ? schema.Values : schema?.FindField(property.Name)?.Schema;
                    Payload(property.Value, actual.GetProperty(property.Name), child, $"{where}.{property.Name}");
                }

                return;
            case JsonValueKind.Array when actual.ValueKind == JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: array length");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Payload(expected[i], actual[i], schema?.Items, $"{where}[{i}]");
                }

                return;
            default:
                Assert.Fail($"{where}: {expected.GetRawText()} != {actual.GetRawText()}");
                return;
        }
    }

    private static bool SameOrder(JsonElement expected, JsonElement actual) =>
        expected.ValueKind != JsonValueKind.Object ||
        (expected.EnumerateObject().Select(p => p.Name).SequenceEqual(actual.EnumerateObject().Select(p => p.Name)) &&
         expected.EnumerateObject().All(p => SameOrder(p.Value, actual.GetProperty(p.Name))));
}
