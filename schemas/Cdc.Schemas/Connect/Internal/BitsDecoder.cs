namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// <c>io.debezium.data.Bits</c> bytes to a bit string. Debezium builds a <c>java.util.BitSet</c> where bit 0 is
/// the rightmost character of PostgreSQL's text (<c>PostgresValueConverter.convertBits</c>) and writes
/// <c>BitSet.toByteArray()</c>: little-endian bytes, least significant bit first, sized by the highest set bit
/// (so leading zeros are not on the wire). The <c>length</c> parameter gives the width: the value is padded to it.
/// For an unbounded <c>bit varying</c> (length 2^31-1) the width is unknown and the shortest text is returned.
/// </summary>
internal static class BitsDecoder
{
    public const int UnboundedLength = int.MaxValue;

    // Wider declared lengths are treated as unbounded rather than materialised as huge strings.
    private const int MaxPaddedLength = 1 << 20;

    public static BitString Decode(ReadOnlySpan<byte> littleEndian, string? lengthParameter)
    {
        var highest = HighestSetBit(littleEndian) + 1;
        var width = highest;
        if (lengthParameter is not null &&
            int.TryParse(lengthParameter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var declared) &&
            declared <= MaxPaddedLength)
        {
            if (highest > declared)
            {
                throw new ValueDecodeError($"Bits value has bit {highest - 1} set but the declared length is {declared}");
            }

            width = declared;
        }

        return new BitString(string.Create(width, littleEndian.ToArray(), static (chars, bytes) =>
        {
            var n = chars.Length;
            for (var p = 0; p < n; p++)
            {
                var bit = n - 1 - p;
                var byteIndex = bit >> 3;
                chars[p] = byteIndex < bytes.Length && (bytes[byteIndex] & (1 << (bit & 7))) != 0 ? '1' : '0';
            }
        }));
    }

    /// <summary>The inverse: <c>java.util.BitSet.toByteArray</c> of the text (bit 0 = the rightmost character).</summary>
    public static byte[] Encode(string bits)
    {
        var bytes = new byte[(bits.Length + 7) / 8];
        var highest = -1;
        for (var bit = 0; bit < bits.Length; bit++)
        {
            if (bits[bits.Length - 1 - bit] == '1')
            {
                bytes[bit >> 3] |= (byte)(1 << (bit & 7));
                highest = bit;
            }
        }

        return bytes[..((highest >> 3) + 1)];
    }

    private static int HighestSetBit(ReadOnlySpan<byte> littleEndian)
    {
        for (var i = littleEndian.Length - 1; i >= 0; i--)
        {
            var b = littleEndian[i];
            if (b != 0)
            {
                return (i * 8) + 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)b);
            }
        }

        return -1;
    }
}
