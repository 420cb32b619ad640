using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Connect;

/// <summary>The <c>cdc.bit-lengths</c> header: exact <c>bit varying</c> lengths beside Debezium's length-less Bits.</summary>
public class BitLengthsHeaderTests
{
    [Fact]
    public void Encode_Decode_RoundTripsBothImagesAndHostileNames()
    {
        var bytes = BitLengthsHeader.Encode(
            new Dictionary<string, int> { ["vb"] = 3 },
            new Dictionary<string, int> { ["vb"] = 1, ["a\"b,c:d}"] = 0 })!;

        var header = BitLengthsHeader.Decode(bytes);

        Assert.Equal(new Dictionary<string, int> { ["vb"] = 3 }, header.Before);
        Assert.Equal(new Dictionary<string, int> { ["vb"] = 1, ["a\"b,c:d}"] = 0 }, header.After);
    }

    [Fact]
    public void Encode_NothingToList_WritesNoHeader()
    {
        Assert.Null(BitLengthsHeader.Encode(null, new Dictionary<string, int>()));
    }

    [Theory]
    [InlineData("00000001", 3, "001")] // bit varying(8): the decoder pads to 8
    [InlineData("00000000", 0, "")]
    [InlineData("00000000", 1, "0")]
    [InlineData("1", 4, "0001")] // unbounded: the decoder gives the shortest text
    [InlineData("", 2, "00")]
    [InlineData("1010", 4, "1010")]
    public void Apply_GivesTheExactBits(string decoded, int length, string exact)
    {
        var image = BitLengthsHeader.Apply(Row(new BitString(decoded), 7), new Dictionary<string, int> { ["vb"] = length });

        var value = Assert.IsType<BitString>(image[0].Value);
        Assert.Equal(exact, value.Bits);
        Assert.True(value.Exact);
        Assert.Equal(7, image[1].Value);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("{\"after\":[]}")]
    [InlineData("{\"later\":{\"vb\":1}}")]
    [InlineData("{\"after\":{\"vb\":-1}}")]
    [InlineData("{\"after\":{\"vb\":\"3\"}}")]
    [InlineData("{\"after\":{\"vb\":1.5}}")]
    [InlineData("{\"after\":{\"vb\":99999999999}}")]
    public void Decode_Malformed_IsAClearError(string header)
    {
        var error = Assert.Throws<EventDecodeException>(() => BitLengthsHeader.Decode(Encoding.UTF8.GetBytes(header)));

        Assert.StartsWith("record header cdc.bit-lengths: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_LengthShorterThanTheValue_IsAnErrorNotATruncation()
    {
        var error = Assert.Throws<EventDecodeException>(() =>
            BitLengthsHeader.Apply(Row(new BitString("00000101"), 7), new Dictionary<string, int> { ["vb"] = 2 }));

        Assert.Contains("column \"vb\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("n")]
    [InlineData("nul")]
    public void Apply_ColumnAbsentOrNotBits_IsAnError(string column)
    {
        var image = new RowImage([new Column("vb", new BitString("1"), null), new Column("n", 7, null), new Column("nul", null, null)]);

        var error = Assert.Throws<EventDecodeException>(() => BitLengthsHeader.Apply(image, new Dictionary<string, int> { [column] = 1 }));

        Assert.Contains($"\"{column}\"", error.Message, StringComparison.Ordinal);
    }

    private static RowImage Row(BitString bits, int other) => new([new Column("vb", bits, null), new Column("n", other, null)]);
}
