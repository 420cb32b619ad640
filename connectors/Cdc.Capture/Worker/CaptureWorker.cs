using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Metrics;
using Npgsql;

namespace Cdc.Capture.Worker;

/// <summary>
/// Runs capture sessions until stopped. A transient fault (PostgreSQL down or restarting, a dropped connection, a
/// Kafka delivery failure) ends the session; the next one starts after a backoff with jitter and resumes from the
/// slot. Only faults no retry can fix (bad credentials, a missing database, a slot owned by another plugin) end it.
/// </summary>
public sealed class CaptureWorker
{
    private readonly CaptureContext _context;
    private int _sessions;

    internal CaptureWorker(CaptureContext context)
    {
        _context = context;
    }

    /// <summary>Answers <c>/readyz</c>: ready while streaming, with the reason otherwise.</summary>
    public ReadinessGate Readiness => _context.Readiness;

    /// <summary>Sessions started so far (1 + reconnections).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public async Task RunAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            var session = new CaptureSession(_context);
            try
            {
                Interlocked.Increment(ref _sessions);
                await session.RunAsync(
                    () =>
                    {
                        if (attempt > 0)
                        {
                            Log.Recovered(_context.Logger, attempt);
                        }

                        attempt = 0;
                        _context.Readiness.MarkReady();
                    },
                    stopping);
                attempt = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!IsPermanent(e))
            {
                attempt++;
                _context.Metrics.Reconnects.Add(1);
                var delay = Backoff(attempt);
                _context.Readiness.MarkNotReady($"waiting for PostgreSQL or Kafka: {e.Message}");
                Log.WaitingForPostgres(_context.Logger, $"{e.GetType().Name}: {e.Message}", (long)delay.TotalMilliseconds, attempt);
                await Task.Delay(delay, _context.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Faults that waiting cannot fix: the operator's (authentication, a missing database, table or privilege, a server
    /// without wal_level=logical, a slot of another plugin: <see cref="OperatorErrors"/>), an invariant broken inside
    /// the connector, and a value with no Debezium form (numeric NaN/Infinity under decimal.handling.mode=precise):
    /// Debezium fails the connector on it too, rather than skip a change.
    /// </summary>
    public static bool IsPermanent(Exception e) =>
        e is Cdc.Schemas.EventDecodeException or ConfigurationError
        || e is PostgresException { SqlState: var state } && OperatorErrors.IsOperatorState(state)
        || e is InvalidOperationException { Source: "Cdc.Capture" };

    private TimeSpan Backoff(int attempt)
    {
        var max = _context.Options.MaxReconnectDelay.TotalMilliseconds;
        var exponential = Math.Min(max, 250 * Math.Pow(2, Math.Min(attempt - 1, 10)));
        // Full jitter in the upper half: spreads reconnecting connectors without ever retrying at once.
        return TimeSpan.FromMilliseconds((exponential / 2) + (Random.Shared.NextDouble() * exponential / 2));
    }
}
