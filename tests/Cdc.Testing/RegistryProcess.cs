using System.Text.RegularExpressions;

namespace Cdc.Testing;

/// <summary><c>./cdc registry</c> as a child process (the shipped dev command), on a free port, keeping its schemas in
/// <see cref="File"/> (deleted on dispose when this class chose it).</summary>
public sealed partial class RegistryProcess : IDisposable
{
    private readonly bool _ownsFile;

    private RegistryProcess(CliProcess process, string url, string file, bool ownsFile)
    {
        Process = process;
        Url = url;
        File = file;
        _ownsFile = ownsFile;
    }

    public CliProcess Process { get; }

    /// <summary>The URL it printed as its first line.</summary>
    public string Url { get; }

    public string File { get; }

    /// <param name="file">Its file; null for a new one in the temp folder.</param>
    public static async Task<RegistryProcess> StartAsync(string? file = null)
    {
        var ownsFile = file is null;
        file ??= Path.Combine(Path.GetTempPath(), $"cdc-registry-{Guid.NewGuid():N}.json");
        var process = CliProcess.Start(["registry", "--port", "0", "--file", file]);
        string? url = null;
        try
        {
            await Wait.UntilAsync(
                () => Task.FromResult((url = UrlLine().Match(process.Output) is { Success: true } m ? m.Value : null) is not null || process.HasExited),
                TimeSpan.FromSeconds(60),
                "./cdc registry to print its URL");
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return url is not null ? new RegistryProcess(process, url, file, ownsFile) : throw new InvalidOperationException($"./cdc registry exited {process.ExitCode}: {process.Output}");
    }

    public void Dispose()
    {
        Process.Dispose();
        if (_ownsFile)
        {
            System.IO.File.Delete(File);
        }
    }

    [GeneratedRegex(@"^http://127\.0\.0\.1:\d+$", RegexOptions.Multiline)]
    private static partial Regex UrlLine();
}
