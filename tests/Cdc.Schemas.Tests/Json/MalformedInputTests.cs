using System.Text;
using System.Text.Json.Nodes;
using Cdc.Schemas.Json;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

/// <summary>Mutated golden fixtures must decode or fail with <see cref="EventDecodeException"/>, never anything else.</summary>
public class MalformedInputTests
{
    private static readonly byte[] Replacements = "{}[]\",:0189-.eEnulltrfa\\ xü"u8.ToArray();

    public static TheoryData<string> Fixtures() => new(GoldenFixture.AllNames());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decode_TruncatedRecords_DecodeOrEventDecodeException(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var decoder = new DebeziumJsonDecoder();
        var outcomes = new Outcomes();

        foreach (var record in fixture.Records)
        {
            foreach (var bytes in new[] { record.Key, record.Value })
            {
                if (bytes is null)
                {
                    continue;
                }

                var step = Math.Max(1, bytes.Length / 97);
                for (var length = 0; length < bytes.Length; length += step)
                {
                    outcomes.Run(() => decoder.Decode(fixture.Topic, bytes[..length], record.Value));
                    outcomes.Run(() => decoder.Decode(fixture.Topic, record.Key, bytes[..length]));
                }
            }
        }

        Assert.True(outcomes.Failures > 0, "truncation never failed: the test exercised nothing");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decode_BytesFlipped_DecodeOrEventDecodeException(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var decoder = new DebeziumJsonDecoder();
        var random = new Random(name.Length * 7919);
        var outcomes = new Outcomes();

        foreach (var record in fixture.Records)
        {
            for (var i = 0; i < 300; i++)
            {
                var key = Mutate(record.Key, random);
                var value = Mutate(record.Value, random);
                outcomes.Run(() => decoder.Decode(fixture.Topic, key, value));
            }
        }

        Assert.True(outcomes.Failures > 0);
    }

    [Theory]
    [InlineData("all-types.schema.json")]
    [InlineData("other-modes.schema.json")]
    [InlineData("toast.schema.json")]
    public void Decode_EveryColumnGivenEveryWrongKind_DecodeOrEventDecodeException(string name)
    {
        var fixture = GoldenFixture.Load(name);
        var decoder = new DebeziumJsonDecoder();
        var outcomes = new Outcomes();
        string[] candidates = ["null", "true", "0", "-1", "1.5", "1e400", "\"\"", "\"x\"", "\"AA==\"", "[]", "[null]", "[[1]]", "{}", "{\"scale\":1}", "\"9999-99-99T99:99:99Z\""];

        foreach (var record in fixture.Records.Where(r => r.Value is not null))
        {
            var template = JsonNode.Parse(record.Value)!;
            var after = template["payload"]!["after"]!.AsObject();
            foreach (var column in after.Select(p => p.Key).ToList())
            {
                var original = after[column]?.DeepClone();
                foreach (var candidate in candidates)
                {
                    after[column] = JsonNode.Parse(candidate);
                    var bytes = Encoding.UTF8.GetBytes(template.ToJsonString());
                    outcomes.Run(() => decoder.Decode(fixture.Topic, record.Key, bytes));
                }

                after[column] = original;
            }
        }

        Assert.True(outcomes.Failures > 0);
        Assert.True(outcomes.Successes > 0);
    }

    [Fact]
    public void Decode_DeeplyNestedJson_EventDecodeException()
    {
        var deep = Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000));

        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode("t", deep, deep));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    private static byte[]? Mutate(byte[]? bytes, Random random)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        var flips = random.Next(1, 4);
        for (var i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] = Replacements[random.Next(Replacements.Length)];
        }

        return copy;
    }

    private sealed class Outcomes
    {
        public int Successes { get; private set; }

        public int Failures { get; private set; }

        public void Run(Action decode)
        {
            try
            {
                decode();
                Successes++;
            }
            catch (EventDecodeException error)
            {
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
                Failures++;
            }
        }
    }
}
