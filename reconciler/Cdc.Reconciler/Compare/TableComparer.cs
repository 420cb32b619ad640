using System.Diagnostics;
using Cdc.Reconciler.Reporting;
using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>
/// Compares one table pair by key ranges (docs/design.md#invariant-10-drift-is-what-persists): both sides hash the same
/// range at the same time, equal ranges are done, differing ranges are split again (bisection; integer keys split into
/// buckets hashed in one pass) and only small ranges are fetched and compared row by row. Chunks adapt to
/// <see cref="ReconcileOptions.ChunkTarget"/>.
/// </summary>
internal sealed class TableComparer(
    TablePair pair,
    SideReader primary,
    SideReader store,
    ReconcileOptions options,
    RunProgress progress,
    Func<CancellationToken, Task> throttle,
    long tableRows)
{
    private const long MinBuckets = 64;
    private const long MaxBuckets = 4_096;
    private const long BucketKeys = 1_024;
    private const int SplitBuckets = 64;
    private const long FirstChunk = 65_536;

    public async Task<List<Finding>> CompareAsync(CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        if (pair.HasIntegerKey)
        {
            await CompareIntegerAsync(findings, cancellationToken);
        }
        else
        {
            await CompareGenericAsync(findings, cancellationToken);
        }

        return findings;
    }

    /// <summary>Reads the rows of earlier findings again; what still differs is returned.</summary>
    public async Task<List<Finding>> RecheckAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        if (findings.Count == 0)
        {
            return [];
        }

        var keys = findings.Select(f => f.KeyValues.ToArray()).ToList();
        var (p, s) = await Both(r => r.FetchKeysAsync(keys, cancellationToken));
        progress.AddTransferred(p.Count + s.Count);
        return RowDiff.Classify(pair, p, s);
    }

    private async Task CompareIntegerAsync(List<Finding> findings, CancellationToken cancellationToken)
    {
        var (pb, sb) = await Both(r => r.BoundsAsync(cancellationToken));
        if (pb is null && sb is null)
        {
            return;
        }

        var lower = Math.Min(pb?.Min ?? long.MaxValue, sb?.Min ?? long.MaxValue);
        var upper = Math.Max(pb?.Max ?? long.MinValue, sb?.Max ?? long.MinValue) + 1;
        var chunk = FirstChunk;
        long done = 0;
        for (var start = lower; start < upper;)
        {
            await throttle(cancellationToken);
            var end = upper - start <= chunk ? upper : start + chunk;
            var clock = Stopwatch.StartNew();
            // Buckets of about BucketKeys keys: a differing bucket is cheap to hash again when it is split.
            var width = Math.Max(1, DivideUp(end - start, Math.Clamp(DivideUp(end - start, BucketKeys), MinBuckets, MaxBuckets)));
            var rows = await CompareBucketsAsync(findings, start, end, width, cancellationToken);
            progress.AddRows(rows);
            chunk = Adapt(chunk, clock.Elapsed);
            done++;
            progress.SetTableRanges(done, done + DivideUp(upper - end, chunk));
            start = end;
        }
    }

    /// <returns>The rows in the range (the larger side's count).</returns>
    private async Task<long> CompareBucketsAsync(List<Finding> findings, long start, long end, long width, CancellationToken cancellationToken)
    {
        var (p, s) = await Both(r => r.BucketsAsync(start, end, width, cancellationToken));
        long rows = 0;
        foreach (var bucket in p.Keys.Union(s.Keys).Order())
        {
            var ph = p.GetValueOrDefault(bucket, RangeHash.Empty);
            var sh = s.GetValueOrDefault(bucket, RangeHash.Empty);
            rows += Math.Max(ph.Count, sh.Count);
            if (ph == sh)
            {
                continue;
            }

            var lower = start + (bucket * width);
            var upper = Math.Min(end, lower + width);
            if (Math.Max(ph.Count, sh.Count) <= options.FetchRows || upper - lower <= 1)
            {
                await FetchAsync(findings, KeyRange.Of(lower, upper), cancellationToken);
            }
            else
            {
                await CompareBucketsAsync(findings, lower, upper, Math.Max(1, DivideUp(upper - lower, SplitBuckets)), cancellationToken);
            }
        }

        return rows;
    }

    private async Task CompareGenericAsync(List<Finding> findings, CancellationToken cancellationToken)
    {
        var chunk = FirstChunk;
        string[]? start = null;
        long done = 0;
        long rows = 0;
        while (true)
        {
            await throttle(cancellationToken);
            var clock = Stopwatch.StartNew();
            var boundary = await primary.KeyAtAsync(new KeyRange(start, null), chunk, cancellationToken);
            var range = new KeyRange(start, boundary);
            var (ph, sh) = await Both(r => r.HashAsync(range, cancellationToken));
            progress.AddRows(Math.Max(ph.Count, sh.Count));
            rows += Math.Max(ph.Count, sh.Count);
            if (ph != sh)
            {
                await BisectAsync(findings, range, ph, sh, cancellationToken);
            }

            chunk = Adapt(chunk, clock.Elapsed);
            done++;
            progress.SetTableRanges(done, done + (boundary is null ? 0 : Math.Max(1, (tableRows - rows) / chunk)));
            if (boundary is null)
            {
                return;
            }

            start = boundary;
        }
    }

    private async Task BisectAsync(List<Finding> findings, KeyRange range, RangeHash ph, RangeHash sh, CancellationToken cancellationToken)
    {
        var larger = ph.Count >= sh.Count ? primary : store;
        var count = Math.Max(ph.Count, sh.Count);
        var middle = count <= options.FetchRows ? null : await larger.KeyAtAsync(range, count / 2, cancellationToken);
        if (middle is null || (range.Lower is not null && middle.SequenceEqual(range.Lower)))
        {
            await FetchAsync(findings, range, cancellationToken);
            return;
        }

        foreach (var half in new[] { range with { Upper = middle }, range with { Lower = middle } })
        {
            var (p, s) = await Both(r => r.HashAsync(half, cancellationToken));
            if (p != s)
            {
                await BisectAsync(findings, half, p, s, cancellationToken);
            }
        }
    }

    private async Task FetchAsync(List<Finding> findings, KeyRange range, CancellationToken cancellationToken)
    {
        var (p, s) = await Both(r => r.FetchAsync(range, cancellationToken));
        progress.AddTransferred(p.Count + s.Count);
        findings.AddRange(RowDiff.Classify(pair, p, s));
    }

    private long Adapt(long chunk, TimeSpan elapsed)
    {
        var factor = Math.Clamp(options.ChunkTarget.TotalMilliseconds / Math.Max(elapsed.TotalMilliseconds, 1), 0.5, 4);
        return Math.Clamp((long)(chunk * factor), 1_024, 50_000_000);
    }

    /// <summary>Both sides at once: each runs on its own server connection.</summary>
    private async Task<(T Primary, T Store)> Both<T>(Func<SideReader, Task<T>> read)
    {
        var p = read(primary);
        var s = read(store);
        await Task.WhenAll(p, s);
        return (await p, await s);
    }

    private static long DivideUp(long value, long divisor) => (value + divisor - 1) / divisor;
}
