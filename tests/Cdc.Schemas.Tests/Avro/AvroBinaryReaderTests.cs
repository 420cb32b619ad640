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

    [Fact]
    public void ReadString_WithReuse_RepeatedBytesGiveTheSameString_OtherBytesTheirOwn()
    {
        var reuse = new StringReuse();
        string[] written = ["orders", "orders", "trades", "orders", "", "é", "é"];
        var reader = Strings(written);

        var read = written.Select(_ => reader.ReadString(reuse)).ToList();

        Assert.Equal(written, read);
        Assert.Same(read[0], read[1]);
        Assert.Same(read[5], read[6]);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ReadString_WithReuse_StringsThatNeverRepeat_AreStillEachReadExactly()
    {
        var reuse = new StringReuse();
        var written = Enumerable.Range(0, 200).Select(i => $"note {i}").Append("note 0").Append("note 0").ToList();
        var reader = Strings(written);

        Assert.Equal(written, written.Select(_ => reader.ReadString(reuse)).ToList());
    }

    [Fact]
    public void ReadString_WithReuse_InvalidUtf8_RefusedLikeWithout()
    {
        var bytes = Convert.FromHexString("04C328");
        Assert.ThrowsAny<ArgumentException>(() => new AvroBinaryReader(bytes, 0, bytes.Length).ReadString());
        Assert.ThrowsAny<ArgumentException>(() => new AvroBinaryReader(bytes, 0, bytes.Length).ReadString(new StringReuse()));
    }

    private static AvroBinaryReader Strings(IEnumerable<string> texts)
    {
        var bytes = new List<byte>();
        foreach (var text in texts)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
            bytes.Add(checked((byte)(utf8.Length * 2)));
            bytes.AddRange(utf8);
        }

        return new AvroBinaryReader([.. bytes], 0, bytes.Count);
    }

    private static AvroBinaryReader Reader(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        return new AvroBinaryReader(bytes, 0, bytes.Length);
    }
}
