using System.Diagnostics;
using Cdc.Reconciler.Reporting;
using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Compare;

/// <summary>
/// Compares one table pair by ranges of rows (docs/design.md#invariant-10-drift-is-what-persists): both sides hash the
/// same range at the same time, equal ranges are done, differing ranges are split again and only small ranges are
/// fetched and compared row by row. How rows are grouped into ranges follows the key (<see cref="KeyOrder"/>): an
/// integer key in buckets hashed in one pass, keys both servers sort alike in key-ordered chunks bisected at the median,
/// and other keys (text under two collations, types that differ between the sides) in buckets of their key's hash.
/// Chunks adapt to <see cref="ReconcileOptions.ChunkTarget"/>; up to <see cref="ReconcileOptions.Parallel"/> of them
/// are compared at once (<see cref="ParallelChunks"/>).
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
    private const int MinHashBits = 6;
    private const int MaxHashBits = 18;
    private const long RowsPerHashBucket = 16;

    public async Task<List<Finding>> CompareAsync(CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        switch (pair.Order)
        {
            case KeyOrder.Integer:
                await CompareIntegerAsync(findings, cancellationToken);
                break;
            case KeyOrder.Range:
                await CompareGenericAsync(findings, cancellationToken);
                break;
            default:
                await CompareHashedAsync(findings, cancellationToken);
                break;
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

        var (p, s) = await Both(r => r.FetchKeysAsync(Keys(findings), cancellationToken));
        progress.AddTransferred(p.Count + s.Count);
        return RowDiff.Classify(pair, p, s);
    }

    /// <summary>One side's rows of earlier findings (a <see cref="SettledRecheck"/> reads the sides one after the other).</summary>
    public async Task<List<SideRow>> RowsAsync(bool onPrimary, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var rows = await (onPrimary ? primary : store).FetchKeysAsync(Keys(findings), cancellationToken);
        progress.AddTransferred(rows.Count);
        return rows;
    }

    private static List<IReadOnlyList<string>> Keys(IReadOnlyList<Finding> findings) =>
        [.. findings.Select(f => f.KeyValues).DistinctBy(KeyIdentity.Of)];

    private async Task CompareIntegerAsync(List<Finding> findings, CancellationToken cancellationToken)
    {
        var (pb, sb) = await Both(r => r.BoundsAsync(cancellationToken));
        if (pb is null && sb is null)
        {
            return;
        }

        var lower = Math.Min(pb?.Min ?? long.MaxValue, sb?.Min ?? long.MaxValue);
        var upper = Math.Max(pb?.Max ?? long.MinValue, sb?.Max ?? long.MinValue) + 1;
        var gate = new Lock();
        var chunk = FirstChunk;
        var start = lower;
        long done = 0;
        long running = 0;
        findings.AddRange(await ParallelChunks.RunAsync(
            options.Parallel,
            async token =>
            {
                await throttle(token);
                lock (gate)
                {
                    if (start >= upper)
                    {
                        return null;
                    }

                    var end = upper - start <= chunk ? upper : start + chunk;
                    var range = KeyRange.Of(start, end);
                    start = end;
                    running++;
                    return range;
                }
            },
            async (range, local, token) =>
            {
                var clock = Stopwatch.StartNew();
                var (from, to) = (range.LowerNumber, range.UpperNumber);
                // Buckets of about BucketKeys keys: a differing bucket is cheap to hash again when it is split.
                var width = Math.Max(1, DivideUp(to - from, Math.Clamp(DivideUp(to - from, BucketKeys), MinBuckets, MaxBuckets)));
                progress.AddRows(await CompareBucketsAsync(local, from, to, width, token));
                lock (gate)
                {
                    chunk = Adapt(chunk, clock.Elapsed);
                    done++;
                    running--;
                    progress.SetTableRanges(done, done + running + DivideUp(upper - start, chunk));
                }
            },
            cancellationToken));
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
        var gate = new Lock();
        var chunk = FirstChunk;
        string[]? start = null;
        var finished = false;
        long done = 0;
        long running = 0;
        long rows = 0;
        findings.AddRange(await ParallelChunks.RunAsync(
            options.Parallel,
            async token =>
            {
                if (finished)
                {
                    return null;
                }

                await throttle(token);
                long size;
                lock (gate)
                {
                    size = chunk;
                }

                var boundary = await primary.KeyAtAsync(new KeyRange(start, null), size, token);
                var range = new KeyRange(start, boundary);
                lock (gate)
                {
                    (start, finished) = (boundary, boundary is null);
                    running++;
                }

                return range;
            },
            async (range, local, token) =>
            {
                var clock = Stopwatch.StartNew();
                var (ph, sh) = await Both(r => r.HashAsync(range, token));
                var count = Math.Max(ph.Count, sh.Count);
                progress.AddRows(count);
                if (ph != sh)
                {
                    await BisectAsync(local, range, ph, sh, token);
                }

                lock (gate)
                {
                    chunk = Adapt(chunk, clock.Elapsed);
                    done++;
                    running--;
                    rows += count;
                    progress.SetTableRanges(done, done + running + (finished ? 0 : Math.Max(1, (tableRows - rows) / chunk)));
                }
            },
            cancellationToken));
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

    /// <summary>
    /// Buckets of the key's hash: one pass hashes every bucket of both sides, differing buckets are split again by
    /// more bits of the hash (one pass for all of them) until each holds few rows, and those are fetched in one pass.
    /// </summary>
    private async Task CompareHashedAsync(List<Finding> findings, CancellationToken cancellationToken)
    {
        await throttle(cancellationToken);
        var bits = (int)Math.Clamp(Math.Ceiling(Math.Log2(Math.Max(tableRows, 1) / (double)RowsPerHashBucket)), MinHashBits, MaxHashBits);
        var (p, s) = await Both(r => r.HashedBucketsAsync(bits, 0, [], cancellationToken));
        progress.AddRows(p.Keys.Union(s.Keys).Sum(b => Math.Max(p.GetValueOrDefault(b).Count, s.GetValueOrDefault(b).Count)));
        progress.SetTableRanges(1, 1);
        var parentBits = bits;
        while (true)
        {
            var differing = p.Keys.Union(s.Keys).Where(b => p.GetValueOrDefault(b) != s.GetValueOrDefault(b))
                .Select(b => (Bucket: b, Rows: Math.Max(p.GetValueOrDefault(b).Count, s.GetValueOrDefault(b).Count))).ToList();
            var fetch = differing.Where(d => d.Rows <= options.FetchRows || parentBits >= 62).Select(d => d.Bucket).ToList();
            if (fetch.Count > 0)
            {
                var (pf, sf) = await Both(r => r.FetchHashedAsync(parentBits, fetch, cancellationToken));
                progress.AddTransferred(pf.Count + sf.Count);
                findings.AddRange(RowDiff.Classify(pair, pf, sf));
            }

            var split = differing.Where(d => d.Rows > options.FetchRows && parentBits < 62).ToList();
            if (split.Count == 0)
            {
                break;
            }

            var finer = Math.Min(62, parentBits + (int)Math.Clamp(Math.Ceiling(Math.Log2(split.Max(d => d.Rows) / (double)RowsPerHashBucket)), 2, 16));
            var parents = split.Select(d => d.Bucket).ToList();
            (p, s) = await Both(r => r.HashedBucketsAsync(finer, parentBits, parents, cancellationToken));
            parentBits = finer;
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
