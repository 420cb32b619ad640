using System.Diagnostics;
using Cdc.DevKit;

namespace Cdc.Sink.Tests.Worker;

/// <summary><c>cdc sink</c> as a process: bad configuration fails fast with one clear line and exit code 2.</summary>
public sealed class SinkCommandTests
{
    [Theory]
    [InlineData("--bootstrap-servers 127.0.0.1:9 --topics t", "no store")]
    [InlineData("--store Host=127.0.0.1 --bootstrap-servers 127.0.0.1:9 --topics t --frobnicate 1", "unknown option '--frobnicate'")]
    [InlineData("--store Host=127.0.0.1 --bootstrap-servers 127.0.0.1:9 --topic-pattern a(", "not a valid regular expression")]
    [InlineData("--store Host=127.0.0.1 --bootstrap-servers 127.0.0.1:1 --topics t --start-timeout 00:00:02", "cannot reach Kafka at 127.0.0.1:1 within 2 s (--start-timeout)")]
    public async Task Sink_BadConfiguration_ExitsWithTwoAndMessage(string args, string message)
    {
        using var process = Process.Start(BuiltCommands.StartInfo(["sink", .. args.Split(' ')]))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
