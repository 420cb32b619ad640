namespace Cdc.Common.Configuration;

/// <summary>The start of the small hand-parsed commands (demo, chaos, benchmarks): help, or options, or a bad flag.</summary>
public static class CommandOptions
{
    /// <summary>
    /// The options <paramref name="parse"/> reads from <paramref name="args"/>; or null and the exit code to return:
    /// 0 after printing <paramref name="usage"/> for <c>--help</c>, <c>-h</c> or <c>help</c>, 2 after printing the bad
    /// flag's message on stderr, one line.
    /// </summary>
    /// <param name="parse">Throws <see cref="ArgumentException"/> for an unknown flag or a bad value.</param>
    public static async Task<(T? Options, int ExitCode)> ParseAsync<T>(string command, IReadOnlyList<string> args, string usage, Func<IReadOnlyList<string>, T> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(parse);
        if (args is ["--help"] or ["-h"] or ["help"])
        {
            Console.WriteLine(usage);
            return (null, 0);
        }

        try
        {
            return (parse(args), 0);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{command}: {e.Message} ({command} --help lists the options)");
            return (null, 2);
        }
    }
}
