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
}
