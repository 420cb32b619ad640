using Cdc.Deploy.Tests.Support;
using Cdc.DevKit;

namespace Cdc.Deploy.Tests.Packaging;

/// <summary>
/// <c>./cdc X</c> reaches the binary that has X (the product's cdc or the dev tool's cdc-dev), and so does
/// <see cref="BuiltCommands"/>, which the tests and the dev tool's child processes start commands with.
/// </summary>
public sealed class CommandRoutingTests
{
    private static readonly Dictionary<string, string> Prebuilt = new() { ["CDC_NO_BUILD"] = "1", ["CDC_SKIP_SETUP"] = "1" };

    private static readonly string[] AllCommands = ["sink", "capture", "reconcile", .. BuiltCommands.DevCommands];

    public static TheoryData<string> Commands => [.. AllCommands];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Script_EveryCommand_ReachesTheBinaryThatHasIt(string command)
    {
        var script = await Tool.RunAsync(Repository.PathOf("cdc"), [command, "--help"], environment: Prebuilt);
        var direct = await Tool.RunAsync("dotnet", [BuiltCommands.DllFor(command), command, "--help"]);

        Assert.DoesNotContain("unknown command", script.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown command", direct.Output, StringComparison.Ordinal);
        Assert.Contains($"cdc {command}", script.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_Help_ListsTheProductAndTheDevCommands()
    {
        var help = await Tool.SucceedAsync(Repository.PathOf("cdc"), "help");

        Assert.All(AllCommands, command => Assert.Matches($@"(?m)^  {command} ", help.Output));
    }

    [Fact]
    public async Task Product_DevCommand_IsUnknown()
    {
        var product = await Tool.RunAsync("dotnet", [BuiltCommands.ProductDll, "kafka"]);

        Assert.Equal(2, product.ExitCode);
        Assert.Contains("unknown command 'kafka'", product.Output, StringComparison.Ordinal);
    }
}
