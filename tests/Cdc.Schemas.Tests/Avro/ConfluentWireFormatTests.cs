using Cdc.Schemas.Avro;

namespace Cdc.Schemas.Tests.Avro;

public class ConfluentWireFormatTests
{
    [Fact]
    public void Frame_SchemaIdAndBody_MagicByteThenBigEndianIdThenBody()
    {
        var framed = ConfluentWireFormat.Frame(0x01020304, [0xAA, 0xBB]);

        Assert.Equal("0001020304AABB", Convert.ToHexString(framed));
    }

    [Fact]
    public void Frame_LargeId_IsBigEndianTwosComplement()
    {
        Assert.Equal("007FFFFFFF", Convert.ToHexString(ConfluentWireFormat.Frame(int.MaxValue, [])));
        Assert.Equal("0000000101", Convert.ToHexString(ConfluentWireFormat.Frame(257, [])));
    }

    [Fact]
    public void Read_FramedMessage_GivesIdAndBody()
    {
        var (id, body) = ConfluentWireFormat.Read(Convert.FromHexString("0000000101020406"));

        Assert.Equal(257, id);
        Assert.Equal("020406", Convert.ToHexString(body.Span));
    }

    [Fact]
    public void Read_HeaderOnly_GivesEmptyBody()
    {
        var (id, body) = ConfluentWireFormat.Read(Convert.FromHexString("0000000007"));

        Assert.Equal(7, id);
        Assert.True(body.IsEmpty);
    }

    [Fact]
    public void Read_WrongMagicByte_ThrowsNamingIt()
    {
        // A JsonConverter message starts with '{' (0x7b).
        var error = Assert.Throws<EventDecodeException>(() => ConfluentWireFormat.Read("{\"a\":1}"u8.ToArray()));

        Assert.Contains("magic byte is 0x7b, expected 0x00", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("00000001")]
    public void Read_ShorterThanHeader_Throws(string hex)
    {
        var error = Assert.Throws<EventDecodeException>(() => ConfluentWireFormat.Read(Convert.FromHexString(hex)));

        Assert.Contains($"{hex.Length / 2} byte(s), need at least 5", error.Message, StringComparison.Ordinal);
    }
}
