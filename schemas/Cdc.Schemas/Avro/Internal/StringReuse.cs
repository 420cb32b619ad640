namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// The last string one schema node read, with its UTF-8 bytes. Debezium's source block (connector, database, schema,
/// table, snapshot...) and many column values repeat from record to record: the same bytes give back the same string
/// instance instead of decoding and allocating it again. A node whose strings keep changing stops trying. Lanes decode
/// with the same node at once: the pair is replaced whole (one reference), and a hit is checked against the pair's own
/// bytes, so a race costs at most a miss.
/// </summary>
internal sealed class StringReuse
{
    private const int MaxBytes = 64;
    private const int MissesBeforeGivingUp = 32;

    private Entry? _last;
    private int _hits;
    private int _misses;

    private bool Trying => _misses < MissesBeforeGivingUp || _hits > _misses;

    /// <returns>The string last read with exactly these bytes, or null.</returns>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes || !Trying)
        {
            return null;
        }

        if (_last is { } last && utf8.SequenceEqual(last.Utf8))
        {
            _hits++;
            return last.Text;
        }

        _misses++;
        return null;
    }

    /// <summary>Keeps <paramref name="text"/>, decoded from <paramref name="utf8"/>, for the next read.</summary>
    public void Keep(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length <= MaxBytes && Trying)
        {
            _last = new Entry(utf8.ToArray(), text);
        }
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
