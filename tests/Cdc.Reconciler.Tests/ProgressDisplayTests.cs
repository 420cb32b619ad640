using Cdc.Reconciler.Reporting;

namespace Cdc.Reconciler.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void Redirected_output_gets_plain_lines_with_ranges_rows_rate_and_time_left()
    {
        var output = new StringWriter();
        var progress = Progress();

        new ProgressDisplay(output, isTerminal: false, TimeProvider.System).Show(progress);

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("reconcile:  25.0% ranges 3/12 rows 250,000 at ", line, StringComparison.Ordinal);
        Assert.Contains("left (public.items)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_terminal_gets_one_redrawn_progress_bar()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: true, TimeProvider.System);
        var progress = Progress();

        display.Show(progress);
        display.Show(progress);
        display.Done();

        var text = output.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.Contains("[########......................]", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }

    private static RunProgress Progress()
    {
        var progress = new RunProgress { Table = "public.items" };
        progress.AddExpected(1_000_000);
        progress.AddRows(250_000);
        progress.SetTableRanges(3, 12);
        return progress;
    }
}
