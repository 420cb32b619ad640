using System.Buffers.Binary;

namespace Cdc.Schemas.Avro;

/// <summary>
/// Confluent's wire format for Schema Registry serdes: byte 0 is the magic byte <c>0</c>, bytes 1-4 the schema id
/// as a big-endian int32, the rest the Avro binary encoding of the datum written with that schema.
/// </summary>
public static class ConfluentWireFormat
{
    public const byte MagicByte = 0;

    /// <summary>Magic byte plus schema id.</summary>
    public const int HeaderLength = 5;

    /// <summary>Prefixes <paramref name="body"/> with the magic byte and <paramref name="schemaId"/>.</summary>
    public static byte[] Frame(int schemaId, ReadOnlySpan<byte> body)
    {
        var framed = new byte[HeaderLength + body.Length];
        WriteHeader(framed, schemaId);
        body.CopyTo(framed.AsSpan(HeaderLength));
        return framed;
    }

    /// <summary>Writes the five header bytes into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int schemaId)
    {
        if (destination.Length < HeaderLength)
        {
            throw new ArgumentException($"need {HeaderLength} bytes for the header", nameof(destination));
        }

        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], schemaId);
    }

    /// <summary>Splits a framed message into its schema id and Avro body.</summary>
    /// <exception cref="EventDecodeException">Shorter than the header, or a magic byte other than 0.</exception>
    public static (int SchemaId, ReadOnlyMemory<byte> Body) Read(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < HeaderLength)
        {
            throw new EventDecodeException(
                $"not in Confluent wire format: {span.Length} byte(s), need at least {HeaderLength} (magic byte 0 and a 4-byte schema id)");
        }

        if (span[0] != MagicByte)
        {
            throw new EventDecodeException(
                $"not in Confluent wire format: magic byte is 0x{span[0]:x2}, expected 0x00 (is this JSON or another converter's output?)");
        }

        return (BinaryPrimitives.ReadInt32BigEndian(span[1..]), message[HeaderLength..]);
    }
}
