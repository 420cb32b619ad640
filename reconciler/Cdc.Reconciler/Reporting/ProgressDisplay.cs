using System.Globalization;

namespace Cdc.Reconciler.Reporting;

/// <summary>
/// Shows a run's progress: ranges done of total, rows compared, rate and time left. On a terminal it redraws one
/// progress-bar line; when the output is redirected it writes a plain line now and then.
/// </summary>
public sealed class ProgressDisplay(TextWriter output, bool isTerminal, TimeProvider time)
{
    private const int BarWidth = 30;
    private readonly long _started = time.GetTimestamp();
    private bool _drawn;

    public TimeSpan Interval => isTerminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(5);

    public void Show(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var line = Line(progress, time.GetElapsedTime(_started));
        if (isTerminal)
        {
            var filled = (int)Math.Round(progress.Fraction * BarWidth);
            output.Write($"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {line}\u001b[K");
            _drawn = true;
        }
        else
        {
            output.WriteLine($"reconcile: {line}");
        }
    }

    /// <summary>Ends the progress-bar line so what follows starts on its own line.</summary>
    public void Done()
    {
        if (_drawn)
        {
            output.WriteLine();
            _drawn = false;
        }
    }

    public static string Line(RunProgress progress, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var rate = elapsed.TotalSeconds > 0 ? progress.RowsCompared / elapsed.TotalSeconds : 0;
        var left = progress.RowsExpected - progress.RowsCompared;
        var eta = rate > 0 && left > 0 ? TimeSpan.FromSeconds(left / rate) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.Fraction * 100,5:0.0}% ranges {progress.RangesDone}/{progress.RangesTotal} rows {progress.RowsCompared:N0} at {rate:N0}/s, about {eta:hh\\:mm\\:ss} left ({progress.Table ?? "-"})");
    }
}
