using System.Text;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Fuzz;

/// <summary>
/// The JSON decoder fed structural and byte-level mutations of every golden fixture, and random bytes: each input
/// decodes or is rejected with <see cref="EventDecodeException"/>, within <see cref="FuzzRun.HangLimit"/>. Schemaless
/// records are also resolved against the schema the matching <c>.schema.json</c> fixture carries (what the sink does
/// with the target table's types), since their values stay raw JSON until then.
/// (Json/MalformedInputTests covers truncations, single-byte flips and every wrong kind per column.)
/// </summary>
public sealed class JsonDecoderFuzzTests
{
    private const int MutationsPerRecord = 150;

    public static TheoryData<string> Fixtures() => new(GoldenFixture.AllNames());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Decode_MutatedFixture_DecodesOrRejects(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var decoder = new DebeziumJsonDecoder();
        var rowSchema = RowSchemaFor(name);
        var mutator = new RecordMutator(name.Sum(c => c) ^ 20261123);
        var run = new FuzzRun();
        var others = fixture.Records.Select(r => r.Value ?? []).ToArray();

        foreach (var (record, index) in fixture.Records.Select((r, i) => (r, i)))
        {
            for (var i = 0; i < MutationsPerRecord; i++)
            {
                var mutateKey = record.Key is not null && mutator.Next(4) == 0;
                var key = mutateKey ? Mutate(mutator, record.Key!, others) : record.Key;
                var value = !mutateKey && record.Value is not null ? Mutate(mutator, record.Value, others) : record.Value;
                await run.DecodeAsync($"{name} record {index} mutation {i}", () => Resolve(decoder.Decode(fixture.Topic, key, value), rowSchema));
            }
        }

        Assert.True(run.Rejected > 0, "no mutation was rejected: the fuzzing exercised nothing");
        Assert.True(run.Decoded > 0, "no mutation decoded: the mutations are too coarse to reach the converters");
    }

    [Fact]
    public void Decode_InvalidUtf8InsideAString_Rejected()
    {
        var record = GoldenFixture.Load("create.noschema.json").Records[0];
        var value = Encoding.UTF8.GetString(record.Value!).Replace("\"Anne\"", "\"An\u0001e\"", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xDB;

        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode("t", record.Key, bytes));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_RandomBytes_DecodesOrRejects()
    {
        var decoder = new DebeziumJsonDecoder();
        var mutator = new RecordMutator(7);
        var run = new FuzzRun();
        for (var i = 0; i < 3000; i++)
        {
            var key = i % 3 == 0 ? null : mutator.RandomBytes(64);
            var value = mutator.RandomBytes(i % 10 == 0 ? 4096 : 256);
            await run.DecodeAsync($"random input {i}", () => decoder.Decode("t", key, value));
        }

        Assert.Equal(3000, run.Total);
        Assert.True(run.Rejected > 2900);
    }

    private static byte[] Mutate(RecordMutator mutator, byte[] input, byte[][] others) =>
        mutator.Next(3) == 0 ? mutator.MutateBytes(input, others[mutator.Next(others.Length)]) : mutator.MutateJson(input);

    private static ChangeRecord Resolve(ChangeRecord record, ConnectSchema? rowSchema)
    {
        if (rowSchema is null)
        {
            return record;
        }

        return new ChangeRecord(
            record.Key?.WithSchema(rowSchema),
            record.Event is { } ev ? ev with { Before = ev.Before?.WithSchema(rowSchema), After = ev.After?.WithSchema(rowSchema) } : null);
    }

    /// <summary>For <c>x.noschema.json</c>: the row schema <c>x.schema.json</c>'s records carry (every column seen).</summary>
    private static ConnectSchema? RowSchemaFor(string name)
    {
        if (!name.EndsWith(".noschema.json", StringComparison.Ordinal))
        {
            return null;
        }

        var withSchema = GoldenFixture.Load(name.Replace(".noschema.json", ".schema.json", StringComparison.Ordinal));
        var fields = new Dictionary<string, ConnectField>(StringComparer.Ordinal);
        foreach (var record in withSchema.Records.Where(r => r.Value is not null))
        {
            using var document = JsonDocument.Parse(record.Value!);
            var envelope = ConnectSchemaJson.Parse(document.RootElement.GetProperty("schema"));
            foreach (var image in envelope.Fields!.Where(f => f.Name is "before" or "after"))
            {
                foreach (var field in image.Schema.Fields ?? [])
                {
                    fields.TryAdd(field.Name, field);
                }
            }
        }

        return new ConnectSchema { Type = ConnectType.Struct, Fields = [.. fields.Values] };
    }
}
