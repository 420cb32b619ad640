using System.Diagnostics;
using Cdc.Sink.Planning;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// The sink's decode stage alone: its <see cref="RecordDecoder"/> over records already in memory, on one thread,
/// batch by batch as the sink does (<see cref="RecordDecoder.PrepareAsync"/>, then each record). A first, untimed pass
/// proves every record decodes (and fills the decoder's caches); each timed pass then gives microseconds per event.
/// </summary>
internal static class DecodeTiming
{
    /// <returns>Microseconds per event, one figure per timed pass.</returns>
    /// <exception cref="InvalidOperationException">A record did not decode.</exception>
    public static async Task<List<double>> MicrosPerEventAsync(IReadOnlyList<SinkRecord> records, RecordDecoder decoder, int passes, int batchSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(decoder);
        var batches = records.Chunk(batchSize).ToList();
        await PrepareAsync(batches, decoder, ct);
        var failed = 0;
        string? firstError = null;
        foreach (var record in records)
        {
            if (decoder.Decode(record).Failure is { } failure && ++failed == 1)
            {
                firstError = $"{record.Topic}[{record.Partition}]@{record.Offset}: {failure.Error.Message}";
            }
        }

        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {records.Count} records did not decode; the first: {firstError}");
        }

        var times = new List<double>(passes);
        for (var pass = 0; pass < passes; pass++)
        {
            var decoded = 0;
            var started = Stopwatch.GetTimestamp();
            await PrepareAsync(batches, decoder, ct);
            foreach (var record in records)
            {
                if (decoder.Decode(record).Change is not null)
                {
                    decoded++;
                }
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (decoded != records.Count)
            {
                throw new InvalidOperationException($"decode pass {pass + 1}: {decoded} of {records.Count} records decoded");
            }

            times.Add(seconds * 1e6 / records.Count);
        }

        return times;
    }

    private static async Task PrepareAsync(List<SinkRecord[]> batches, RecordDecoder decoder, CancellationToken ct)
    {
        foreach (var batch in batches)
        {
            await decoder.PrepareAsync(batch, ct);
        }
    }
}
