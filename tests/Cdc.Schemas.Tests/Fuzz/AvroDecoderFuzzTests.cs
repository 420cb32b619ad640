using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Fuzz;

/// <summary>
/// The Avro decoder fed byte-level mutations of every golden fixture as AvroConverter writes it, records decoded
/// with another fixture's writer schema (a wrong schema id), broken wire headers, and random bytes: each input
/// decodes or is rejected with <see cref="EventDecodeException"/>, within <see cref="FuzzRun.HangLimit"/>; a schema id
/// the registry does not know is poison too, never transient. (Avro/AvroCorruptionTests covers every truncation and
/// single-byte corruption of the all-types record.)
/// </summary>
public sealed class AvroDecoderFuzzTests : IAsyncLifetime
{
    private const int MutationsPerRecord = 200;

    private EmbeddedSchemaRegistry _registry = null!;
    private ConfluentSchemaRegistry _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedSchemaRegistry.StartAsync();
        _client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, [SchemaRegistrySettings.MaxRetries] = "0" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Decode_MutatedFixtures_DecodesOrRejects()
    {
        var records = await AllFixturesAsAvroAsync();
        var decoder = new DebeziumAvroDecoder(_client);
        var mutator = new RecordMutator(20261123);
        var run = new FuzzRun();
        var values = records.Where(r => r.Value is not null).Select(r => r.Value!).ToArray();

        foreach (var (record, index) in records.Select((r, i) => (r, i)))
        {
            for (var i = 0; i < MutationsPerRecord; i++)
            {
                var mutateKey = record.Key is not null && mutator.Next(4) == 0;
                var key = mutateKey ? mutator.MutateBytes(record.Key!, values[mutator.Next(values.Length)], ConfluentWireFormat.HeaderLength) : record.Key;
                var value = !mutateKey && record.Value is not null
                    ? mutator.MutateBytes(record.Value, values[mutator.Next(values.Length)], ConfluentWireFormat.HeaderLength)
                    : record.Value;
                await run.DecodeAsync($"{record.Description} mutation {i}", () => decoder.DecodeAsync("dbserver1.public.t", key, value));
            }
        }

        Assert.True(run.Rejected > 0);
        Assert.True(run.Decoded > 0);
    }

    [Fact]
    public async Task Decode_WrongSchemaIdOrBrokenHeader_Rejects()
    {
        var records = await AllFixturesAsAvroAsync();
        var decoder = new DebeziumAvroDecoder(_client);
        var ids = records.Where(r => r.Value is not null).Select(r => SchemaId(r.Value!)).Distinct().ToList();
        var run = new FuzzRun();

        foreach (var record in records.Where(r => r.Value is not null))
        {
            foreach (var id in ids.Append(999_999).Append(-1).Append(0))
            {
                var value = WithSchemaId(record.Value!, id);
                await run.DecodeAsync($"{record.Description} read with schema {id}", () => decoder.DecodeAsync("t", record.Key, value));
            }

            var noMagic = (byte[])record.Value!.Clone();
            noMagic[0] = 1;
            await run.DecodeAsync($"{record.Description} magic byte 1", () => decoder.DecodeAsync("t", record.Key, noMagic));
            await run.DecodeAsync($"{record.Description} header only", () => decoder.DecodeAsync("t", record.Key, record.Value![..ConfluentWireFormat.HeaderLength]));
            await run.DecodeAsync($"{record.Description} short header", () => decoder.DecodeAsync("t", record.Key, record.Value![..3]));
        }

        Assert.True(run.Rejected >= records.Count(r => r.Value is not null) * 6, "unknown ids and broken headers must all be rejected");
    }

    [Fact]
    public async Task Decode_StringNotUtf8_RejectedNotReplaced()
    {
        var record = (await AvroFixtures.ConvertAsync(GoldenFixture.Load("create.schema.json"), new DebeziumAvroEncoder(_client)))[0];
        var value = (byte[])record.Value!.Clone();
        var at = value.AsSpan().IndexOf("Anne"u8);
        value[at + 1] = 0xDB;

        var error = await Assert.ThrowsAsync<EventDecodeException>(() => new DebeziumAvroDecoder(_client).DecodeAsync("t", record.Key, value));
        Assert.Contains("not valid Avro", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_RandomBodies_DecodesOrRejects()
    {
        var records = await AllFixturesAsAvroAsync();
        var decoder = new DebeziumAvroDecoder(_client);
        var headers = records.Where(r => r.Value is not null).Select(r => r.Value![..ConfluentWireFormat.HeaderLength]).ToArray();
        var mutator = new RecordMutator(11);
        var run = new FuzzRun();
        for (var i = 0; i < 3000; i++)
        {
            byte[] value = [.. headers[i % headers.Length], .. mutator.RandomBytes(i % 10 == 0 ? 2048 : 128)];
            await run.DecodeAsync($"random body {i}", () => decoder.DecodeAsync("t", null, value));
        }

        for (var i = 0; i < 500; i++)
        {
            var value = mutator.RandomBytes(64);
            await run.DecodeAsync($"random bytes {i}", () => decoder.DecodeAsync("t", null, value));
        }

        Assert.Equal(3500, run.Total);
        Assert.True(run.Rejected > 0);
    }

    private async Task<List<ConvertedRecord>> AllFixturesAsAvroAsync()
    {
        var encoder = new DebeziumAvroEncoder(_client);
        var all = new List<ConvertedRecord>();
        foreach (var name in GoldenFixture.AllNames().Where(n => n.EndsWith(".schema.json", StringComparison.Ordinal)))
        {
            all.AddRange(await AvroFixtures.ConvertAsync(GoldenFixture.Load(name), encoder));
        }

        return all;
    }

    private static int SchemaId(byte[] value) => (value[1] << 24) | (value[2] << 16) | (value[3] << 8) | value[4];

    private static byte[] WithSchemaId(byte[] value, int id)
    {
        var copy = (byte[])value.Clone();
        copy[1] = (byte)(id >> 24);
        copy[2] = (byte)(id >> 16);
        copy[3] = (byte)(id >> 8);
        copy[4] = (byte)id;
        return copy;
    }
}
