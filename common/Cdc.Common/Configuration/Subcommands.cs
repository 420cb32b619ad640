using System.Runtime.InteropServices;

namespace Cdc.Common.Configuration;

/// <summary>
/// A binary's entry point: <c>binary &lt;command&gt; [options]</c> runs the named command until it returns, or until
/// SIGTERM or Ctrl-C asks it to stop (its token is cancelled: it drains and returns instead of being killed).
/// </summary>
public static class Subcommands
{
    /// <returns>The command's exit code; 0 after the usage for <c>help</c>, <c>--help</c>, <c>-h</c>; 2 after the usage
    /// for no command or an unknown one.</returns>
    public static async Task<int> RunAsync(
        string binary, string usage, IReadOnlyDictionary<string, Func<string[], CancellationToken, Task<int>>> commands, string[] args)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (!commands.TryGetValue(args[0], out var command))
        {
            await Console.Error.WriteLineAsync($"{binary}: unknown command '{args[0]}' ({binary} help lists them)");
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        return await command(args[1..], stopping.Token);
    }
}
