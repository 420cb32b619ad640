using System.Buffers.Binary;
using System.Text;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// Avro binary primitives over one message's bytes, bounds-checked: a corrupt length can never make the reader
/// allocate more than the message holds (Apache.Avro's BinaryDecoder allocates whatever a length says).
/// </summary>
internal sealed class AvroBinaryReader(byte[] buffer, int offset, int length)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _end = offset + length;
    private int _position = offset;

    public int Remaining => _end - _position;

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new ValueDecodeError($"invalid boolean byte 0x{other:x2}"),
    };

    public int ReadInt()
    {
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new ValueDecodeError($"int out of range: {value}");
    }

    /// <summary>A zig-zag varint of at most 10 bytes.</summary>
    public long ReadLong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new ValueDecodeError("varint longer than 10 bytes");
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public byte[] ReadBytes() => Take(Length()).ToArray();

    public byte[] ReadFixed(int size) => Take(size).ToArray();

    // Strict: bytes that are not UTF-8 are a corrupt record (poison), never silently replaced by U+FFFD.
    public string ReadString() => StrictUtf8.GetString(Take(Length()));

    /// <summary>A string, the one <paramref name="reuse"/> holds when the bytes are the same.</summary>
    public string ReadString(StringReuse reuse)
    {
        var utf8 = Take(Length());
        if (reuse.Find(utf8) is { } known)
        {
            return known;
        }

        var text = StrictUtf8.GetString(utf8);
        reuse.Keep(utf8, text);
        return text;
    }

    /// <summary>
    /// The item count of the next array or map block; 0 ends the value. A negative count is followed by the block's
    /// size in bytes. Every item Connect can describe takes at least one byte, so a count above what is left is corrupt.
    /// </summary>
    public int ReadBlockCount()
    {
        var count = ReadLong();
        if (count < 0)
        {
            _ = ReadLong();
            count = -count;
        }

        return count >= 0 && count <= Remaining
            ? (int)count
            : throw new ValueDecodeError($"block of {count} items does not fit the {Remaining} byte(s) left");
    }

    private int Length()
    {
        var length = ReadLong();
        return length >= 0 && length <= Remaining
            ? (int)length
            : throw new ValueDecodeError($"length {length} does not fit the {Remaining} byte(s) left");
    }

    private byte ReadByte() => _position < _end ? buffer[_position++] : throw new ValueDecodeError("unexpected end of the Avro data");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new ValueDecodeError($"need {count} byte(s), {Remaining} left");
        }

        var span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
