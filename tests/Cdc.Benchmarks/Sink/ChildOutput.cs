using System.Diagnostics;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Reads a child sink's log lines: notes when it logged its partition assignment, echoes warnings and errors,
/// and keeps the last lines for a failure message.
/// </summary>
public sealed class ChildOutput
{
    private const string AssignedEvent = "[1002]";
    private const int KeptLines = 40;

    private readonly Queue<string> _lines = new();
    private readonly TaskCompletionSource<long> _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp of the first assignment line.</summary>
    public Task<long> Assigned => _assigned.Task;

    public void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }

        if (line.Contains(AssignedEvent, StringComparison.Ordinal))
        {
            _assigned.TrySetResult(now);
        }
        else if (error || line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"    sink| {line}");
        }
    }

    public string Tail()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.Select(l => "    sink| " + l));
        }
    }
}
