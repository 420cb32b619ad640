using System.Diagnostics;
using Cdc.Benchmarks.Support;
using Cdc.Sink;
using Cdc.Sink.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Runs the real worker through <see cref="SinkHost.StartAsync"/> in this process. The clock starts when the worker
/// starts running (so it includes the group join); peak RSS is this whole process's, mock cluster included.
/// </summary>
public sealed class InProcessSinkRunner(ILoggerFactory loggers) : ISinkRunner
{
    public string Description => "in-process (peak RSS and sink CPU include the mock cluster and the benchmark)";

    public async Task<SinkRunResult> RunAsync(SinkRunSpec spec, StoreProgress progress, StoreBackends backends, CancellationToken ct)
    {
        var options = new SinkOptions
        {
            Store = spec.Store,
            Kafka = new KafkaOptions { BootstrapServers = spec.BootstrapServers, GroupId = spec.Group, Topics = [spec.Topic] },
        };
        if (spec.BatchSize is { } batch)
        {
            options.MaxBatchSize = batch;
        }

        if (spec.Parallelism is { } parallelism)
        {
            options.Parallelism = parallelism;
        }

        options.Transactions.Enabled = spec.Tracking;
        if (spec.Consistency is { } consistency)
        {
            options.Transactions.Consistency = consistency;
        }

        if (spec.SchemaRegistry is { } registry)
        {
            options.Format = SinkOptions.AvroFormat;
            options.SchemaRegistry[Cdc.Schemas.Registry.SchemaRegistrySettings.Url] = registry;
        }

        ProcStatus.ResetPeak();
        var launched = Stopwatch.GetTimestamp();
        await using var sink = await SinkHost.StartAsync(options, loggers.CreateLogger("cdc.sink"), TimeProvider.System, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sinkCpu = CpuTime.CurrentProcess();
        var storeCpu = await backends.CpuSecondsAsync(ct);
        var start = Stopwatch.GetTimestamp();
        var run = Task.Run(() => sink.Worker.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            var done = await progress.WaitForAsync(spec.Events, () => run.IsCompleted ? run.Exception?.GetBaseException().Message ?? "the worker returned" : null, ct);
            sinkCpu = CpuTime.CurrentProcess() - sinkCpu;
            storeCpu = await backends.CpuSecondsAsync(ct) - storeCpu;
            var peak = ProcStatus.PeakRssBytes();
            return new SinkRunResult(
                spec.Events,
                Stopwatch.GetElapsedTime(start, done).TotalSeconds,
                Stopwatch.GetElapsedTime(launched, start).TotalSeconds,
                peak,
                sinkCpu,
                storeCpu,
                double.NaN);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
