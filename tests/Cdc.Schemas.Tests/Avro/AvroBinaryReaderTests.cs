using Cdc.Schemas.Avro.Internal;
using Cdc.Schemas.Connect.Internal;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>Corrupt Avro data fails with a clear error instead of allocating what a corrupt length claims.</summary>
public class AvroBinaryReaderTests
{
    [Theory]
    [InlineData("00", 0L)]
    [InlineData("01", -1L)]
    [InlineData("02", 1L)]
    [InlineData("7F", -64L)]
    [InlineData("8001", 64L)]
    [InlineData("FEFFFFFFFFFFFFFFFF01", long.MaxValue)]
    [InlineData("FFFFFFFFFFFFFFFFFF01", long.MinValue)]
    public void ReadLong_ZigZagVarint(string hex, long expected) => Assert.Equal(expected, Reader(hex).ReadLong());

    [Fact]
    public void ReadBytes_LengthBeyondTheMessage_Refused()
    {
        // Length 2^31 - 1 (zig-zag FEFFFFFF0F) with 1 byte of data.
        var error = Assert.Throws<ValueDecodeError>(() => Reader("FEFFFFFF0F" + "00").ReadBytes());

        Assert.Contains("does not fit the 1 byte(s) left", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBlockCount_MoreItemsThanBytes_Refused() =>
        Assert.Throws<ValueDecodeError>(() => Reader("FEFFFFFF0F00").ReadBlockCount());

    [Fact]
    public void ReadBlockCount_NegativeCountWithSize_CountUsed()
    {
        var reader = Reader("03" + "04" + "0202"); // -2 items, 2 bytes

        Assert.Equal(2, reader.ReadBlockCount());
        Assert.Equal(2, reader.Remaining);
    }

    [Fact]
    public void ReadLong_PastTheEnd_Refused() => Assert.Throws<ValueDecodeError>(() => Reader("80").ReadLong());

    [Fact]
    public void ReadBoolean_NotZeroOrOne_Refused() => Assert.Throws<ValueDecodeError>(() => Reader("02").ReadBoolean());

    private static AvroBinaryReader Reader(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        return new AvroBinaryReader(bytes, 0, bytes.Length);
    }
}
