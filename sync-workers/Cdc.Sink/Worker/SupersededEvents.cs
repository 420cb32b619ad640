using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Worker;

/// <summary>
/// Says which change events the version guard did not apply (docs/design.md#invariant-4-newer-always-wins): every one
/// is counted (<c>cdc_sink_events_superseded_total{table}</c>) and logged with the reason, one line per table at most
/// once a minute carrying the count since its last line, so a replay of millions of records cannot flood the log.
/// </summary>
internal sealed class SupersededEvents(SinkMetrics metrics, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, (DateTimeOffset LastLine, long Pending)> _tables = new(StringComparer.Ordinal);

    public void Report(string table, long count)
    {
        if (count <= 0)
        {
            return;
        }

        metrics.Superseded.Add(count, new KeyValuePair<string, object?>("table", table));
        long toLog;
        lock (_tables)
        {
            var now = time.GetUtcNow();
            var (last, pending) = _tables.GetValueOrDefault(table, (DateTimeOffset.MinValue, 0));
            pending += count;
            if (now - last < Interval)
            {
                _tables[table] = (last, pending);
                return;
            }

            _tables[table] = (now, 0);
            toLog = pending;
        }

        Log.Superseded(logger, table, toLog);
    }
}
