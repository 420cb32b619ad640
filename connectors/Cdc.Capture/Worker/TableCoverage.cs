using Cdc.Capture.Signals;

namespace Cdc.Capture.Worker;

/// <summary>
/// Tables that join the captured set get their existing rows (docs/design.md#no-silent-loss): a table added to
/// <c>--tables</c> on an existing slot, one created later when no list is given, one that got a replica identity, a
/// partition attached with rows. Each is snapshotted incrementally, without stopping the stream
/// (<see cref="Resnapshots"/>), and recorded as covered beside the slot's snapshot marker, so a restart does not read
/// it again. A table that left the publication and came back is read again (its rows may have changed meanwhile).
/// Checked at every session start and every <see cref="Configuration.CaptureOptions.TableScanInterval"/>.
/// </summary>
internal sealed class TableCoverage(CaptureContext context, Resnapshots resnapshots)
{
    /// <param name="before">Tables the publication streamed before this check's changes.</param>
    /// <param name="after">Tables it streams now.</param>
    /// <param name="covered">Tables recorded as read in full; null when an earlier version recorded none (then: <paramref name="before"/>).</param>
    public async Task CoverAsync(HashSet<string> before, HashSet<string> after, HashSet<string>? covered, CancellationToken cancellationToken)
    {
        var known = covered ?? before;
        var joined = after.Where(t => !known.Contains(t) || !before.Contains(t)).Order(StringComparer.Ordinal).ToList();
        if (joined.Count == 0 && covered is not null && covered.SetEquals(covered.Intersect(after)))
        {
            return;
        }

        if (joined.Count > 0)
        {
            Log.TablesJoined(context.Logger, string.Join(", ", joined));
            await resnapshots.RequestAsync(joined, "new-table", cancellationToken: cancellationToken);
        }

        await context.Setup.MarkSnapshotDoneAsync(known.Intersect(after).Union(joined), cancellationToken);
    }

    /// <summary>Every <see cref="Configuration.CaptureOptions.TableScanInterval"/>: the publication follows the database's tables.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(context.Options.TableScanInterval, context.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                var (before, after) = await context.Setup.EnsureAsync(cancellationToken);
                var state = await context.Setup.SlotAsync(cancellationToken);
                await CoverAsync(before, after, state?.Covered, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.TickFailed(context.Logger, $"checking the captured tables: {e.Message}");
            }
        }
    }
}
