using System.Text;
using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect;

/// <summary>
/// Record header <c>cdc.bit-lengths</c>: the exact length of each <c>bit varying</c> value of a change event's
/// <c>before</c> and <c>after</c> images and of its <c>key</c>, e.g.
/// <c>{"before":{"vb":3},"after":{"vb":1,"vbs":[3,null,0]},"key":{"k":2}}</c>: a number for a value, an array of
/// numbers (null for a NULL element) for an array of <c>bit varying</c>; null values and absent members are not listed,
/// so a header of the first shape (numbers in <c>before</c> and <c>after</c> only) reads the same. Debezium's Bits
/// carries no value length, so <c>B'01'</c> and <c>B'1'</c> are the same bytes on the wire; the wire value stays
/// Debezium's and the .NET connector adds this header so a sink can restore the leading zeros
/// (docs/design.md#type-mapping). A record without the header (Debezium as the connector) keeps the padded form.
/// </summary>
public sealed class BitLengthsHeader
{
    public const string Name = "cdc.bit-lengths";

    private static readonly IReadOnlyDictionary<string, BitLength> None = new Dictionary<string, BitLength>();

    private BitLengthsHeader(IReadOnlyDictionary<string, BitLength> before, IReadOnlyDictionary<string, BitLength> after, IReadOnlyDictionary<string, BitLength> key)
    {
        Before = before;
        After = after;
        Key = key;
    }

    public IReadOnlyDictionary<string, BitLength> Before { get; }

    public IReadOnlyDictionary<string, BitLength> After { get; }

    public IReadOnlyDictionary<string, BitLength> Key { get; }

    /// <summary>The header's bytes, or null when no image lists a column.</summary>
    public static byte[]? Encode(
        IReadOnlyDictionary<string, BitLength>? before,
        IReadOnlyDictionary<string, BitLength>? after,
        IReadOnlyDictionary<string, BitLength>? key = null)
    {
        if ((before?.Count ?? 0) == 0 && (after?.Count ?? 0) == 0 && (key?.Count ?? 0) == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Write(writer, "before", before);
            Write(writer, "after", after);
            Write(writer, "key", key);
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

            Dictionary<string, BitLength> before = new(StringComparer.Ordinal), after = new(StringComparer.Ordinal), key = new(StringComparer.Ordinal);
            foreach (var image in document.RootElement.EnumerateObject())
            {
                var lengths = image.Name switch
                {
                    "before" => before,
                    "after" => after,
                    "key" => key,
                    _ => throw Malformed($"unknown member \"{image.Name}\""),
                };
                if (image.Value.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed($"\"{image.Name}\" is not an object");
                }

                foreach (var column in image.Value.EnumerateObject())
                {
                    lengths[column.Name] = column.Value.ValueKind == JsonValueKind.Array
                        ? BitLength.Of(column.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (int?)null : Length(column.Name, e)).ToArray())
                        : Length(column.Name, column.Value);
                }
            }

            return new BitLengthsHeader(before, after, key);
        }
        catch (JsonException e)
        {
            throw Malformed(e.Message);
        }
    }

    /// <summary><paramref name="image"/> with each listed bit string, or each element of a listed array, at its exact length.</summary>
    /// <exception cref="EventDecodeException">
    /// A listed column is absent, not a bit string (or an array of them with as many elements, NULL where the header
    /// has null), or has set bits beyond its length.
    /// </exception>
    public static RowImage Apply(RowImage image, IReadOnlyDictionary<string, BitLength> lengths)
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
                try
                {
                    c = c with { Value = length.Elements is { } elements ? WithLengths(c.Value, elements) : WithLength(c.Value, length.Length) };
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

    private static BitString WithLength(object? value, int length) => value is BitString bits
        ? bits.WithLength(length)
        : throw new EventDecodeException($"{(value is null ? "null" : "not a bit string")} in the event");

    private static object?[] WithLengths(object? value, IReadOnlyList<int?> lengths)
    {
        if (value is not IReadOnlyList<object?> elements || elements.Count != lengths.Count)
        {
            throw new EventDecodeException($"{(value is null ? "null" : value is IReadOnlyList<object?> list ? $"an array of {list.Count} elements, not {lengths.Count}," : "not an array")} in the event");
        }

        var exact = new object?[elements.Count];
        for (var i = 0; i < exact.Length; i++)
        {
            try
            {
                exact[i] = lengths[i] is { } length ? WithLength(elements[i], length)
                    : elements[i] is null ? null
                    : throw new EventDecodeException("not null in the event");
            }
            catch (EventDecodeException e)
            {
                throw new EventDecodeException($"element {i + 1}: {e.Message}");
            }
        }

        return exact;
    }

    private static int Length(string column, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var length) && length >= 0
            ? length
            : throw Malformed($"column \"{column}\" has no bit length (a non-negative integer, or an array of them and nulls)");

    private static void Write(Utf8JsonWriter writer, string image, IReadOnlyDictionary<string, BitLength>? lengths)
    {
        if (lengths is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartObject(image);
        foreach (var (column, length) in lengths)
        {
            if (length.Elements is not { } elements)
            {
                writer.WriteNumber(column, length.Length);
                continue;
            }

            writer.WriteStartArray(column);
            foreach (var element in elements)
            {
                if (element is { } l)
                {
                    writer.WriteNumberValue(l);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static EventDecodeException Malformed(string reason) => new($"record header {Name}: {reason}");
}
