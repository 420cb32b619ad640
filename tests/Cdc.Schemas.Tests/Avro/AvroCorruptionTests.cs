using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>
/// Every truncation and many single-byte corruptions of the all-types record: the decoder either decodes or throws
/// <see cref="EventDecodeException"/> (dead-letter material), never anything else.
/// </summary>
public sealed class AvroCorruptionTests
{
    [Fact]
    public async Task Decode_TruncatedOrCorrupted_OnlyEventDecodeException()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistry(registry.Url);
        var converted = await AvroFixtures.ConvertAsync(GoldenFixture.Load("all-types.schema.json"), new DebeziumAvroEncoder(client));
        var decoder = new DebeziumAvroDecoder(client);
        var random = new Random(20261123);
        var cases = 0;

        foreach (var record in converted)
        {
            var value = record.Value!;
            for (var length = ConfluentWireFormat.HeaderLength; length < value.Length; length++)
            {
                await CheckAsync(decoder, record.Key, value[..length]);
                cases++;
            }

            for (var i = 0; i < 2000; i++)
            {
                var corrupt = (byte[])value.Clone();
                corrupt[random.Next(ConfluentWireFormat.HeaderLength, corrupt.Length)] = (byte)random.Next(256);
                await CheckAsync(decoder, record.Key, corrupt);
                cases++;
            }
        }

        Assert.True(cases > 6000);
    }

    private static async Task CheckAsync(DebeziumAvroDecoder decoder, byte[]? key, byte[] value)
    {
        try
        {
            await decoder.DecodeAsync("dbserver1.public.all_types", key, value);
        }
        catch (EventDecodeException)
        {
        }
    }
}
