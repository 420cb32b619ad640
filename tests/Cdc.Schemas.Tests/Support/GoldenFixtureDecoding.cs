using Cdc.Schemas.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

internal static class GoldenFixtureDecoding
{
    /// <summary>Every record of the fixture through the JSON decoder.</summary>
    public static IReadOnlyList<ChangeRecord> Decode(this GoldenFixture fixture, DebeziumJsonDecoder? decoder = null)
    {
        decoder ??= new DebeziumJsonDecoder();
        return fixture.Records.Select(r => decoder.Decode(fixture.Topic, r.Key, r.Value)).ToList();
    }
}
