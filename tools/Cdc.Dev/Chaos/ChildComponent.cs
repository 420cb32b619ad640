using System.Diagnostics;
using Cdc.Benchmarks.Support;
using Cdc.DevKit;

namespace Cdc.Dev.Chaos;

/// <summary>One pipeline component run as its own <c>cdc</c> process, as a deployment runs it, so it can be killed.
/// Its output goes to a log file; the last lines are kept for error messages.</summary>
internal sealed class ChildComponent(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    : IAsyncDisposable
{
    private readonly Queue<string> _tail = new();
    private readonly List<string> _arguments = [.. arguments];
    private Process? _process;

    /// <summary>Replaces a flag's value (or adds the flag) for the next <see cref="Start"/>.</summary>
    public void SetArgument(string flag, string value)
    {
        var at = _arguments.IndexOf(flag);
        if (at < 0)
        {
            _arguments.AddRange([flag, value]);
        }
        else
        {
            _arguments[at + 1] = value;
        }
    }

    /// <summary>Every line the process wrote so far (its log file).</summary>
    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public string Name { get; } = name;

    public string LogPath { get; } = logPath;

    public bool Running => _process is { HasExited: false };

    public void Start()
    {
        var info = BuiltCommands.StartInfo(_arguments);
        foreach (var (variable, value) in environment)
        {
            info.Environment[variable] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: no drain, no commit, no goodbye to the group.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            _process = null;
        }
    }

    /// <exception cref="InvalidOperationException">The process exited by itself.</exception>
    public void ThrowIfExited()
    {
        if (_process is { HasExited: true } process)
        {
            throw new InvalidOperationException($"{Name} exited by itself with code {process.ExitCode}; its last lines:{Environment.NewLine}{Tail()}");
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    /// <summary>SIGTERM (drain and commit), SIGKILL after 30 s.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>SIGTERM (drain, commit, leave the group), SIGKILL after 30 s; <see cref="Start"/> runs it again.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited && Posix.Terminate(process.Id))
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await KillAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            File.AppendAllText(LogPath, line + Environment.NewLine);
            _tail.Enqueue(line);
            if (_tail.Count > 30)
            {
                _tail.Dequeue();
            }
        }
    }
}
