using Cdc.Store.Writes;

namespace Cdc.Sink.Tests.Store;

public sealed class CopyTextWriterTests
{
    [Fact]
    public async Task Field_SpecialCharacters_AreEscapedForCopyText()
    {
        var copy = new CopyTextWriter();
        copy.Field("a\tb\nc\\d\re");
        copy.Field(null);
        copy.Field("");
        copy.EndRow();
        var output = new StringWriter();

        await copy.FlushToAsync(output, CancellationToken.None);

        Assert.Equal("a\\tb\\nc\\\\d\\re\t\\N\t\n", output.ToString());
    }

    [Fact]
    public async Task Integer_WritesInvariantDigitsOrNull()
    {
        var copy = new CopyTextWriter();
        copy.Integer(-9_223_372_036_854_775_808);
        copy.Integer(null);
        copy.Field("x\\");
        copy.Integer(42);
        copy.EndRow();
        var output = new StringWriter();

        await copy.FlushToAsync(output, CancellationToken.None);

        Assert.Equal("-9223372036854775808\t\\N\tx\\\\\t42\n", output.ToString());
    }
}
