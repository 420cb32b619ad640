using System.Diagnostics;

namespace Cdc.Dev.Demo;

/// <summary>
/// Looks at the pipeline twice a second for the whole run, from the stages' own durable records
/// (<see cref="PipelineProgress"/>), and keeps every look, with labelled marks for the run's phases: what the live view
/// prints and the HTML report draws (lag per subsystem over time, throughput).
/// </summary>
internal sealed class PipelineSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly IReadOnlyList<Subsystem> _subsystems;
    private readonly PipelineProgress _progress;
    private readonly ShopWriter _writer;
    private readonly BackgroundLoop _loop;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<PipelineSample> _samples = [];
    private readonly List<(double Seconds, string Label)> _marks = [];

    public PipelineSampler(IReadOnlyList<Subsystem> subsystems, PipelineProgress progress, ShopWriter writer)
    {
        _subsystems = subsystems;
        _progress = progress;
        _writer = writer;
        _loop = new BackgroundLoop(RunAsync);
        Names = [.. subsystems.Select(s => s.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<PipelineSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public IReadOnlyList<(double Seconds, string Label)> Marks
    {
        get
        {
            lock (_marks)
            {
                return [.. _marks];
            }
        }
    }

    public void Start() => _loop.Start();

    /// <summary>Notes that a phase of the run starts now (<paramref name="at"/>: a <see cref="Stopwatch"/> timestamp).</summary>
    public void Mark(string label, long? at = null)
    {
        lock (_marks)
        {
            _marks.Add((Stopwatch.GetElapsedTime(_started, at ?? Stopwatch.GetTimestamp()).TotalSeconds, label));
        }
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var produced = _progress.Produced();
            var applied = new long[_subsystems.Count];
            for (var i = 0; i < _subsystems.Count; i++)
            {
                applied[i] = await _progress.AppliedAsync(_subsystems[i].Database.DataSource, _subsystems[i].Name, ct);
            }

            var sample = new PipelineSample(Stopwatch.GetElapsedTime(_started).TotalSeconds, _writer.Transactions, produced, applied);
            lock (_samples)
            {
                _samples.Add(sample);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }
}
