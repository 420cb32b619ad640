using System.Text;
using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect;

/// <summary>
/// Record header <c>cdc.bit-lengths</c>: the exact length of each <c>bit varying</c> value of a change event's
/// <c>before</c> and <c>after</c> images, e.g. <c>{"before":{"vb":3},"after":{"vb":1}}</c> (null values are not
/// listed). Debezium's Bits carries no value length, so <c>B'01'</c> and <c>B'1'</c> are the same bytes on the wire;
/// the wire value stays Debezium's and the .NET connector adds this header so a sink can restore the leading zeros
/// (docs/design.md#type-mapping). A record without the header (Debezium as the connector) keeps the padded form.
/// </summary>
public sealed class BitLengthsHeader
{
    public const string Name = "cdc.bit-lengths";

    private BitLengthsHeader(IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> after)
    {
        Before = before;
        After = after;
    }

    public IReadOnlyDictionary<string, int> Before { get; }

    public IReadOnlyDictionary<string, int> After { get; }

    /// <summary>The header's bytes, or null when neither image lists a column.</summary>
    public static byte[]? Encode(IReadOnlyDictionary<string, int>? before, IReadOnlyDictionary<string, int>? after)
    {
        if ((before?.Count ?? 0) == 0 && (after?.Count ?? 0) == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Write(writer, "before", before);
            Write(writer, "after", after);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="EventDecodeException">The header is not the object <see cref="Encode"/> writes.</exception>
    public static BitLengthsHeader Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("expected a JSON object");
            }

            Dictionary<string, int> before = new(StringComparer.Ordinal), after = new(StringComparer.Ordinal);
            foreach (var image in document.RootElement.EnumerateObject())
            {
                var lengths = image.Name switch
                {
                    "before" => before,
                    "after" => after,
                    _ => throw Malformed($"unknown member \"{image.Name}\""),
                };
                if (image.Value.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed($"\"{image.Name}\" is not an object");
                }

                foreach (var column in image.Value.EnumerateObject())
                {
                    if (column.Value.ValueKind != JsonValueKind.Number || !column.Value.TryGetInt32(out var length) || length < 0)
                    {
                        throw Malformed($"column \"{column.Name}\" has no bit length (a non-negative integer)");
                    }

                    lengths[column.Name] = length;
                }
            }

            return new BitLengthsHeader(before, after);
        }
        catch (JsonException e)
        {
            throw Malformed(e.Message);
        }
    }

    /// <summary><paramref name="image"/> with each listed bit string at its exact length.</summary>
    /// <exception cref="EventDecodeException">A listed column is absent, not a bit string, or has set bits beyond its length.</exception>
    public static RowImage Apply(RowImage image, IReadOnlyDictionary<string, int> lengths)
    {
        if (lengths.Count == 0)
        {
            return image;
        }

        var columns = new Column[image.Count];
        var applied = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            var c = image[i];
            if (lengths.TryGetValue(c.Name, out var length))
            {
                if (c.Value is not BitString bits)
                {
                    throw Malformed($"column \"{c.Name}\" is {(c.Value is null ? "null" : "not a bit string")} in the event");
                }

                try
                {
                    c = c with { Value = bits.WithLength(length) };
                }
                catch (EventDecodeException e)
                {
                    throw Malformed($"column \"{c.Name}\": {e.Message}");
                }

                applied++;
            }

            columns[i] = c;
        }

        if (applied != lengths.Count)
        {
            throw Malformed($"it names {string.Join(", ", lengths.Keys.Where(k => !image.TryGet(k, out _)).Select(k => $"\"{k}\""))}, absent from the event");
        }

        return new RowImage(columns, owned: true);
    }

    private static void Write(Utf8JsonWriter writer, string image, IReadOnlyDictionary<string, int>? lengths)
    {
        if (lengths is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartObject(image);
        foreach (var (column, length) in lengths)
        {
            writer.WriteNumber(column, length);
        }

        writer.WriteEndObject();
    }

    private static EventDecodeException Malformed(string reason) => new($"record header {Name}: {reason}");
}
