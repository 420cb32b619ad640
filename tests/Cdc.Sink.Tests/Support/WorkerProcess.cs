using System.Diagnostics;
using System.Text;
using Cdc.Sink.Configuration;

namespace Cdc.Sink.Tests.Support;

/// <summary>A <c>cdc sink</c> child process, so tests can kill it for real (SIGKILL) or stop it with SIGTERM.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process)
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

    public int ExitCode => _process.ExitCode;

    public static WorkerProcess Start(SinkOptions options) =>
        Start(
            [
                "--bootstrap-servers", options.Kafka.BootstrapServers!,
                "--group", options.Kafka.GroupId,
                "--topics", string.Join(',', options.Kafka.Topics),
                "--store", options.Store!,
                "--batch-size", "2000",
            ],
            new Dictionary<string, string>());

    /// <summary><c>cdc sink</c> with these flags and <c>CDC_*</c> environment variables.</summary>
    public static WorkerProcess Start(IEnumerable<string> sinkArgs, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RepositoryPaths.CliDll, "sink" }.Concat(sinkArgs))
        {
            start.ArgumentList.Add(arg);
        }

        // A killed member holds its partitions until its session expires: keep that short (and configure it the way
        // an operator would, through the environment).
        start.Environment["CDC_Kafka__Consumer__session.timeout.ms"] = "6000";
        start.Environment["CDC_Kafka__Consumer__heartbeat.interval.ms"] = "500";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as a container runtime does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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
