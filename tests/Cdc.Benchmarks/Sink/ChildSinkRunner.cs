using System.Diagnostics;
using System.Globalization;
using Cdc.Benchmarks.Support;
using Cdc.DevKit;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Runs <c>cdc sink</c> as a deployment does, in its own process, so its peak RSS is the sink's alone. The clock
/// starts when the worker logs its partition assignment (event 1002) and stops when the store holds every offset.
/// </summary>
public sealed class ChildSinkRunner : ISinkRunner
{
    public string Description => "child process 'cdc sink'";

    public async Task<SinkRunResult> RunAsync(SinkRunSpec spec, StoreProgress progress, StoreBackends backends, CancellationToken ct)
    {
        var info = BuiltCommands.StartInfo([.. Arguments(spec)]);
        if (!spec.Tracking)
        {
            info.Environment["CDC_Transactions__Enabled"] = "false";
        }

        var output = new ChildOutput();
        var launched = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => output.OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => output.OnLine(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var exited = process.WaitForExitAsync(patience.Token);
            var first = await Task.WhenAny(output.Assigned, exited, Task.Delay(TimeSpan.FromSeconds(120), patience.Token));
            await patience.CancelAsync();
            ct.ThrowIfCancellationRequested();
            if (first != output.Assigned)
            {
                throw new InvalidOperationException(
                    $"'cdc sink' {(process.HasExited ? $"exited with {process.ExitCode}" : "was not assigned partitions within 120 s")} before consuming:{Environment.NewLine}{output.Tail()}");
            }

            var start = await output.Assigned;
            var sinkCpu = CpuTime.Seconds(process.Id);
            var kafkaCpu = CpuTime.CurrentProcess();
            var storeCpu = await backends.CpuSecondsAsync(ct);
            var done = await progress.WaitForAsync(spec.Events, () => process.HasExited ? $"'cdc sink' exited with {process.ExitCode}:{Environment.NewLine}{output.Tail()}" : null, ct);
            sinkCpu = CpuTime.Seconds(process.Id) - sinkCpu;
            kafkaCpu = CpuTime.CurrentProcess() - kafkaCpu;
            storeCpu = await backends.CpuSecondsAsync(ct) - storeCpu;
            var peak = ProcStatus.PeakRssBytes(process.Id);
            await StopAsync(process);
            return new SinkRunResult(
                spec.Events,
                Stopwatch.GetElapsedTime(start, done).TotalSeconds,
                Stopwatch.GetElapsedTime(launched, start).TotalSeconds,
                peak,
                sinkCpu,
                storeCpu,
                kafkaCpu);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static IEnumerable<string> Arguments(SinkRunSpec spec)
    {
        string[] arguments = ["sink", "--bootstrap-servers", spec.BootstrapServers, "--group", spec.Group, "--topics", spec.Topic, "--store", spec.Store];
        foreach (var argument in arguments)
        {
            yield return argument;
        }

        if (spec.BatchSize is { } batch)
        {
            yield return "--batch-size";
            yield return batch.ToString(CultureInfo.InvariantCulture);
        }

        if (spec.Parallelism is { } parallelism)
        {
            yield return "--parallelism";
            yield return parallelism.ToString(CultureInfo.InvariantCulture);
        }

        if (spec.Consistency is { } consistency)
        {
            yield return "--consistency";
            yield return consistency;
        }

        if (spec.SchemaRegistry is { } registry)
        {
            yield return "--format";
            yield return "avro";
            yield return "--schema-registry";
            yield return registry;
        }
    }

    /// <summary>SIGTERM (the worker drains and leaves its group), then SIGKILL after 30 s.</summary>
    private static async Task StopAsync(Process process)
    {
        if (Posix.Terminate(process.Id))
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(grace.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("    'cdc sink' did not stop within 30 s of SIGTERM; killing it");
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
