namespace Cdc.Reconciler.Tests;

public sealed class ReconcileCommandTests
{
    [Fact]
    public async Task Unknown_flag_is_an_error()
    {
        Assert.Equal(2, await ReconcileCommand.RunAsync(["--no-such-flag", "x"], CancellationToken.None));
    }
}
