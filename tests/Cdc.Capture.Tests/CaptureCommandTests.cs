namespace Cdc.Capture.Tests;

public sealed class CaptureCommandTests
{
    [Fact]
    public async Task Unknown_flag_is_a_configuration_error()
    {
        Assert.Equal(2, await CaptureHost.RunAsync(["--no-such-flag", "x"], CancellationToken.None));
    }
}
