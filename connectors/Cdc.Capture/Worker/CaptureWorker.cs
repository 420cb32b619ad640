using System.Runtime.ExceptionServices;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Metrics;
using Cdc.Common.Resilience;
using Npgsql;
using Polly;

namespace Cdc.Capture.Worker;

/// <summary>
/// Runs capture sessions until stopped. A transient fault (PostgreSQL down or restarting, a dropped connection, a
/// Kafka delivery failure) ends the session; the reconnect pipeline (<c>cdc-capture-session</c>) starts the next one
/// after a backoff with jitter, and it resumes from the slot. Only faults no retry can fix (bad credentials, a missing
/// database, a slot owned by another plugin) end it.
/// </summary>
public sealed class CaptureWorker
{
    private readonly CaptureContext _context;
    private readonly ResiliencePipeline _reconnect;
    private int _sessions;

    internal CaptureWorker(CaptureContext context)
    {
        _context = context;
        var retry = ResiliencePipelines.UntilBack(TimeSpan.FromMilliseconds(250), context.Options.MaxReconnectDelay, e => !IsPermanent(e));
        retry.OnRetry = args =>
        {
            var e = args.Outcome.Exception!;
            _context.Metrics.Reconnects.Add(1);
            _context.Readiness.MarkNotReady($"waiting for PostgreSQL or Kafka: {e.Message}");
            Log.WaitingForPostgres(_context.Logger, $"{e.GetType().Name}: {e.Message}", (long)args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1);
            return default;
        };
        _reconnect = ResiliencePipelines.Builder("cdc-capture-session", context.Options.Slot, context.Time).AddRetry(retry).Build();
    }

    /// <summary>Answers <c>/readyz</c>: ready while streaming, with the reason otherwise.</summary>
    public ReadinessGate Readiness => _context.Readiness;

    /// <summary>Sessions started so far (1 + reconnections).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public async Task RunAsync(CancellationToken stopping)
    {
        // A session that streamed and then failed is a new fault: it becomes the first outcome of the next execution of
        // the reconnect pipeline, so it is backed off and reported like any other, and the backoff starts again from
        // its shortest delay (Polly counts attempts per execution) instead of where an earlier outage left it.
        Exception? fault = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var attempts = 0;
                var session = await _reconnect.ExecuteAsync(
                    async ct =>
                    {
                        attempts++;
                        if (Interlocked.Exchange(ref fault, null) is { } earlier)
                        {
                            ExceptionDispatchInfo.Throw(earlier);
                        }

                        return await StartSessionAsync(failedBefore: attempts - 1, ct);
                    },
                    stopping);
                await session;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!IsPermanent(e))
            {
                fault = e;
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

    /// <summary>Starts a session and returns once it streams, with the task of the rest of it; a fault before then throws.</summary>
    private async Task<Task> StartSessionAsync(int failedBefore, CancellationToken stopping)
    {
        Interlocked.Increment(ref _sessions);
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new CaptureSession(_context).RunAsync(
            () =>
            {
                if (failedBefore > 0)
                {
                    Log.Recovered(_context.Logger, failedBefore);
                }

                _context.Readiness.MarkReady();
                streaming.TrySetResult();
            },
            stopping);
        if (await Task.WhenAny(streaming.Task, run) == run)
        {
            await run;
        }

        return run;
    }
}
