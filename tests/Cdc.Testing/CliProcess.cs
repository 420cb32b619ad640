using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cdc.DevKit;

namespace Cdc.Testing;

/// <summary>
/// A <c>cdc &lt;command&gt;</c> child process (the built command run with <c>dotnet</c>), so tests can kill it for real
/// (SIGKILL) or stop it with SIGTERM; its output is kept for failure messages.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>./cdc &lt;args&gt;</c> as the script routes it (<c>dotnet cdc.dll</c> for a product command,
    /// <c>dotnet cdc-dev.dll</c> for a dev command) with extra environment variables.
    /// </summary>
    public static CliProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = BuiltCommands.StartInfo(args);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>
    /// Runs <c>./cdc &lt;args&gt;</c> to its end (killed after <paramref name="timeout"/>) and returns its exit code and its
    /// standard output and error apart: an error line must be the only thing on stderr.
    /// </summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = BuiltCommands.StartInfo(args);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return await ProcessRun.RunAsync(start, timeout ?? TimeSpan.FromMinutes(2), $"cdc {string.Join(' ', args)}");
    }

    /// <summary>SIGKILL: no cleanup, no flush.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as a container runtime does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
