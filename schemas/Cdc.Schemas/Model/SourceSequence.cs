using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cdc.Schemas.Model;

/// <summary>
/// Turns Debezium PostgreSQL's <c>source.sequence</c>, a JSON array in a string (<c>["lastCommitLsn","eventLsn"]</c>,
/// either element a string of decimal digits or null), into a <see cref="ChangeVersion"/>.
/// </summary>
public static class SourceSequence
{
    /// <summary>
    /// <c>(sequence[0] ?? 0, sequence[1] ?? lsn ?? 0)</c>; without a sequence <c>(0, lsn)</c>; null when neither
    /// a sequence element nor <paramref name="lsn"/> is present.
    /// </summary>
    /// <exception cref="EventDecodeException"><paramref name="sequence"/> is not such an array.</exception>
    public static ChangeVersion? ToChangeVersion(string? sequence, long? lsn)
    {
        long? commit = null, eventLsn = null;
        if (sequence is not null)
        {
            (commit, eventLsn) = Parse(sequence);
        }

        if (commit is null && eventLsn is null && lsn is null)
        {
            return null;
        }

        return new ChangeVersion(commit ?? 0, eventLsn ?? lsn ?? 0);
    }

    /// <summary>The two elements of a sequence string; a missing element is null.</summary>
    /// <exception cref="EventDecodeException">Not a JSON array of at most two digit strings or nulls.</exception>
    public static (long? LastCommitLsn, long? EventLsn) Parse(string sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (TryParseCompact(sequence, out var compact))
        {
            return compact;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(sequence));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw Invalid(sequence, "not a JSON array");
            }

            long? first = null, second = null;
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var element = Element(ref reader, sequence);
                switch (count++)
                {
                    case 0:
                        first = element;
                        break;
                    case 1:
                        second = element;
                        break;
                    default:
                        throw Invalid(sequence, "more than two elements");
                }
            }

            if (reader.Read())
            {
                throw Invalid(sequence, "trailing content");
            }

            return (first, second);
        }
        catch (JsonException error)
        {
            throw new EventDecodeException($"source.sequence '{sequence}' is not valid JSON: {error.Message}", error);
        }
    }

    // Debezium's exact output, ["123","456"] with null for a missing element, parsed without allocating.
    private static bool TryParseCompact(string sequence, out (long? First, long? Second) result)
    {
        result = default;
        var text = sequence.AsSpan();
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            return false;
        }

        text = text[1..^1];
        var comma = text.IndexOf(',');
        if (comma < 0 || text[(comma + 1)..].Contains(',') ||
            !TryCompactElement(text[..comma], out var first) || !TryCompactElement(text[(comma + 1)..], out var second))
        {
            return false;
        }

        result = (first, second);
        return true;
    }

    private static bool TryCompactElement(ReadOnlySpan<char> element, out long? value)
    {
        value = null;
        if (element.SequenceEqual("null"))
        {
            return true;
        }

        if (element.Length < 3 || element[0] != '"' || element[^1] != '"' ||
            !long.TryParse(element[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
        {
            return false;
        }

        value = lsn;
        return true;
    }

    private static long? Element(ref Utf8JsonReader reader, string sequence)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var text = reader.GetString();
                return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var lsn)
                    ? lsn
                    : throw Invalid(sequence, $"element \"{text}\" is not a non-negative int64");
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) && number >= 0
                    ? number
                    : throw Invalid(sequence, "element is not a non-negative int64");
            default:
                throw Invalid(sequence, $"unexpected {reader.TokenType}");
        }
    }

    private static EventDecodeException Invalid(string sequence, string problem) =>
        new($"source.sequence '{sequence}': {problem}");
}
