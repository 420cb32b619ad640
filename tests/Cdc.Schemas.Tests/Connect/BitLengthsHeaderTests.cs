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
            new Dictionary<string, BitLength> { ["vb"] = 3 },
            new Dictionary<string, BitLength> { ["vb"] = 1, ["a\"b,c:d}"] = 0 })!;

        var header = BitLengthsHeader.Decode(bytes);

        Assert.Equal(new Dictionary<string, BitLength> { ["vb"] = 3 }, header.Before);
        Assert.Equal(new Dictionary<string, BitLength> { ["vb"] = 1, ["a\"b,c:d}"] = 0 }, header.After);
    }

    [Fact]
    public void Encode_Decode_RoundTripsArraysAndTheKey()
    {
        var bytes = BitLengthsHeader.Encode(null, new Dictionary<string, BitLength> { ["vbs"] = BitLength.Of([3, null, 0]), ["empty"] = BitLength.Of([]) }, new Dictionary<string, BitLength> { ["k"] = 2 })!;

        Assert.Equal("{\"after\":{\"vbs\":[3,null,0],\"empty\":[]},\"key\":{\"k\":2}}", Encoding.UTF8.GetString(bytes));
        var header = BitLengthsHeader.Decode(bytes);
        Assert.Empty(header.Before);
        Assert.Equal(new int?[] { 3, null, 0 }, header.After["vbs"].Elements);
        Assert.Equal(Array.Empty<int?>(), header.After["empty"].Elements);
        Assert.Equal(2, header.Key["k"].Length);
        Assert.Null(header.Key["k"].Elements);
    }

    [Fact]
    public void Decode_TheFirstShape_ReadsTheSame()
    {
        var header = BitLengthsHeader.Decode("{\"before\":{\"vb\":3},\"after\":{\"vb\":1}}"u8);

        Assert.Equal(new Dictionary<string, BitLength> { ["vb"] = 3 }, header.Before);
        Assert.Equal(new Dictionary<string, BitLength> { ["vb"] = 1 }, header.After);
        Assert.Empty(header.Key);
    }

    [Fact]
    public void Apply_Array_GivesEachElementItsExactBits()
    {
        var image = new RowImage([new Column("vbs", new object?[] { new BitString("00000001"), null, new BitString("00000000") }, null)]);

        var exact = BitLengthsHeader.Apply(image, new Dictionary<string, BitLength> { ["vbs"] = BitLength.Of([3, null, 0]) });

        var elements = Assert.IsAssignableFrom<IReadOnlyList<object?>>(exact[0].Value);
        Assert.Equal([new BitString("001") { Exact = true }, null, new BitString("") { Exact = true }], elements);
    }

    [Theory]
    [InlineData("[3]", "an array of 2 elements, not 1")] // another count
    [InlineData("[3,1]", "element 2: null in the event")] // a length for a NULL element
    [InlineData("[null,null]", "element 1: not null in the event")]
    [InlineData("[1,null]", "element 1: bit length 1 is shorter")] // set bits beyond the length
    [InlineData("3", "not a bit string")] // a scalar length for an array
    public void Apply_ArrayContradictingTheEvent_IsAnError(string lengths, string reason)
    {
        var header = BitLengthsHeader.Decode(Encoding.UTF8.GetBytes($"{{\"after\":{{\"vbs\":{lengths}}}}}"));
        var image = new RowImage([new Column("vbs", new object?[] { new BitString("00000101"), null }, null)]);

        var error = Assert.Throws<EventDecodeException>(() => BitLengthsHeader.Apply(image, header.After));

        Assert.Contains("column \"vbs\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ArrayLengthsForAScalar_IsAnError()
    {
        var error = Assert.Throws<EventDecodeException>(() =>
            BitLengthsHeader.Apply(Row(new BitString("1"), 7), new Dictionary<string, BitLength> { ["vb"] = BitLength.Of([1]) }));

        Assert.Contains("not an array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_NothingToList_WritesNoHeader()
    {
        Assert.Null(BitLengthsHeader.Encode(null, new Dictionary<string, BitLength>()));
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
        var image = BitLengthsHeader.Apply(Row(new BitString(decoded), 7), new Dictionary<string, BitLength> { ["vb"] = length });

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
    [InlineData("{\"key\":[]}")]
    [InlineData("{\"after\":{\"vbs\":[1,-1]}}")]
    [InlineData("{\"after\":{\"vbs\":[[1]]}}")]
    [InlineData("{\"after\":{\"vbs\":[\"1\"]}}")]
    public void Decode_Malformed_IsAClearError(string header)
    {
        var error = Assert.Throws<EventDecodeException>(() => BitLengthsHeader.Decode(Encoding.UTF8.GetBytes(header)));

        Assert.StartsWith("record header cdc.bit-lengths: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_LengthShorterThanTheValue_IsAnErrorNotATruncation()
    {
        var error = Assert.Throws<EventDecodeException>(() =>
            BitLengthsHeader.Apply(Row(new BitString("00000101"), 7), new Dictionary<string, BitLength> { ["vb"] = 2 }));

        Assert.Contains("column \"vb\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("n")]
    [InlineData("nul")]
    public void Apply_ColumnAbsentOrNotBits_IsAnError(string column)
    {
        var image = new RowImage([new Column("vb", new BitString("1"), null), new Column("n", 7, null), new Column("nul", null, null)]);

        var error = Assert.Throws<EventDecodeException>(() => BitLengthsHeader.Apply(image, new Dictionary<string, BitLength> { [column] = 1 }));

        Assert.Contains($"\"{column}\"", error.Message, StringComparison.Ordinal);
    }

    private static RowImage Row(BitString bits, int other) => new([new Column("vb", bits, null), new Column("n", other, null)]);
}
