using System.Collections.Concurrent;
using Cdc.Common.Metrics;
using Cdc.Common.Resilience;
using Cdc.Schemas;
using Cdc.Sink.Configuration;
using Cdc.Sink.Gaps;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Sink.Transactions;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Failures;
using Cdc.Store.Mapping;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Cdc.Sink.Worker;

/// <summary>
/// One subsystem's sink worker: consumes change events, applies them to the store in batches whose partitions run
/// concurrently in <see cref="ApplyLane"/>s, and stores offsets with the rows. On assignment it seeks to the offsets
/// stored in the subsystem store (docs/design.md#invariant-3-exactly-once-effect-in-each-store); Kafka commits follow
/// only for lag tools.
/// </summary>
public sealed class SinkWorker
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the assigned topics' ids are compared with the ones the offsets count in.</summary>
    private static readonly TimeSpan IncarnationCheck = TimeSpan.FromSeconds(5);

    private readonly SinkOptions _options;
    private readonly ApplyLaneContext _context;
    private readonly MetadataTables _metadata;
    private readonly ResiliencePipeline _store;
    private readonly ResiliencePipeline _whilePaused;
    private readonly ResiliencePipeline _offsets;
    private readonly ResiliencePipeline _gapRecords;
    private readonly ILogger _logger;
    private readonly List<SinkRecord> _pending = [];
    private readonly ConcurrentDictionary<TopicPartition, bool> _assigned = new();
    private readonly TopicIncarnations _incarnations;
    private readonly HealRequests _heals;
    private readonly HealSignaller _signaller;
    private readonly ConcurrentQueue<(string Topic, string Was, string Now)> _recreated = new();
    private readonly SemaphoreSlim _lookAtIncarnations = new(0);
    private GapDetector _gaps = new(_ => null);
    private Func<TopicPartition, long?> _logStart = _ => null;
    private long _lastLogStartCheck;
    private volatile bool _running;
    private int _lifecycle;
    private bool _paused;
    private string _pausedFor = "";
    private CancellationToken _stopping;
    /// <summary>The joined consumer; null before <see cref="Join"/> and once it is handed to <see cref="LeaveAsync"/>.</summary>
    private volatile IConsumer<byte[]?, byte[]?>? _consumer;
    private Task? _polling;
    private CancellationTokenSource? _pollingStop;
    private long _recordsApplied;

    /// <summary>Consuming and the store reachable: what <c>/readyz</c> reports.</summary>
    public bool IsReady => Readiness().IsReady;

    public ReadinessStatus Readiness() =>
        !_running ? ReadinessStatus.NotReady("not consuming")
        : _paused || _context.Metrics.CircuitOpen ? ReadinessStatus.NotReady($"{_pausedFor}: partitions paused, retrying")
        : ReadinessStatus.Ready;

    private readonly Transactions.TransactionTracker? _tracker;
    private readonly TransactionConsistency? _consistency;

    internal SinkWorker(
        SinkOptions options, ApplyLaneContext context, MetadataTables metadata, TopicIncarnations incarnations, HealSignaller signaller,
        Transactions.TransactionTracker? tracker = null, TransactionConsistency? consistency = null)
    {
        _tracker = tracker;
        _consistency = consistency;
        _options = options;
        _context = context;
        _metadata = metadata;
        _incarnations = incarnations;
        _heals = new HealRequests(metadata);
        _signaller = signaller;
        _logger = context.Logger;
        _store = BuildStorePipeline();
        _whilePaused = BuildPausedPipeline();
        _offsets = BuildUntilStoreAnswersPipeline("cdc-sink-offsets", Log.OffsetsUnavailable);
        _gapRecords = BuildUntilStoreAnswersPipeline("cdc-sink-gaps", Log.GapUnrecorded);
        context.Preparer.ResnapshotNeeded += RequestResnapshot;
    }

    /// <summary>Records consumed and applied (or dead-lettered, or skipped) since start.</summary>
    public long RecordsApplied => Interlocked.Read(ref _recordsApplied);

    /// <summary>The partitions the group gave this worker and it took (their stored offsets read).</summary>
    internal int AssignedPartitions => _assigned.Count;

    /// <summary>
    /// Builds the consumer and subscribes: the group join (and, on a group that must wait for a member that died, the
    /// coordinator's wait for it) starts now, while the rest of the start-up runs. Partitions are taken only when
    /// <see cref="RunAsync"/> polls, with the stored offsets read then. Called by <see cref="RunAsync"/> if not before.
    /// </summary>
    internal IConsumer<byte[]?, byte[]?> Join()
    {
        if (_consumer is { } joined)
        {
            return joined;
        }

        var consumer = BuildConsumer();
        if (_options.Kafka.TopicPattern is { } pattern)
        {
            consumer.Subscribe(pattern.StartsWith('^') ? pattern : "^" + pattern);
        }
        else
        {
            consumer.Subscribe(_options.Kafka.Topics);
        }

        _consumer = consumer;
        return consumer;
    }

    /// <summary>The member id the group coordinator gave this worker's consumer; null before it joined.</summary>
    internal string? GroupMemberId => _consumer?.MemberId is { Length: > 0 } id ? id : null;

    /// <summary>
    /// Leaves the group if <see cref="Join"/> was called and <see cref="RunAsync"/> never ran (a start-up that failed after
    /// joining, a sink disposed without running), within <see cref="GroupLeave.Deadline"/>; the worker cannot run after it.
    /// </summary>
    internal async Task LeaveUnlessRunAsync()
    {
        if (Interlocked.CompareExchange(ref _lifecycle, Left, NotRun) == NotRun && _consumer is { } consumer)
        {
            await LeaveAsync(consumer);
        }
    }

    /// <summary>
    /// Leaves the group joined early when the start-up has to wait (for the store): a member that does not poll holds up
    /// every rebalance of its group and keeps the partitions it was given unread, until its <c>max.poll.interval.ms</c>
    /// (5 minutes by default). <see cref="RunAsync"/> joins again.
    /// </summary>
    internal async Task StepOutAsync()
    {
        if (Volatile.Read(ref _lifecycle) == NotRun && _consumer is { } consumer)
        {
            await LeaveAsync(consumer);
            Log.SteppedOut(_logger, _options.Kafka.GroupId);
        }
    }

    private const int NotRun = 0;
    private const int Ran = 1;
    private const int Left = 2;

    /// <summary>Runs until <paramref name="stopping"/> fires, then drains the batch in flight, commits and leaves the group.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (Interlocked.CompareExchange(ref _lifecycle, Ran, NotRun) != NotRun)
        {
            throw new InvalidOperationException("a sink worker runs once, and not after it left its group");
        }

        _stopping = stopping;
        // Transaction consistency applies each release in one store transaction: one lane.
        var lanes = Enumerable.Range(0, _consistency is null ? _options.Parallelism : 1).Select(_ => new ApplyLane(_context)).ToArray();
        var consumer = Join();
        // Handed to the close (which disposes it) once the loops have stopped; disposed here if anything failed before.
        var closing = false;
        try
        {
            using var trackerStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var tracking = _tracker is null ? Task.CompletedTask : Task.Run(() => _tracker.RunAsync(trackerStop.Token), CancellationToken.None);
            _logStart = tp => LogStart(consumer, tp);
            _gaps = new GapDetector(_logStart);
            using var stopSignals = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var signals = _signaller.RunAsync(stopSignals.Token);
            var incarnations = WatchIncarnationsAsync(stopSignals.Token);
            try
            {
                _running = true;
                while (!stopping.IsCancellationRequested)
                {
                    FollowRecreatedTopics(consumer);
                    if (_consistency is not null)
                    {
                        if (!await StepWholeTransactionsAsync(consumer, lanes[0], _consistency, stopping))
                        {
                            break;
                        }

                        continue;
                    }

                    Collect(consumer, stopping);
                    if (_pending.Count == 0)
                    {
                        RefreshLag(consumer, []);
                        continue;
                    }

                    var batch = _pending.ToList();
                    _pending.Clear();
                    var progress = await ApplyUntilDoneAsync(consumer, lanes, batch, stopping);
                    if (progress is null)
                    {
                        break;
                    }

                    StoreOffsets(consumer, progress);
                    RefreshLag(consumer, progress);
                }
            }
            finally
            {
                _running = false;
                await trackerStop.CancelAsync();
                await tracking;
                Log.Stopping(_logger);
                await stopSignals.CancelAsync();
                await signals;
                await incarnations;
                closing = true;
                await LeaveAsync(consumer);
                foreach (var lane in lanes)
                {
                    await lane.DisposeAsync();
                }
            }
        }
        finally
        {
            if (!closing)
            {
                consumer.Dispose();
            }
        }
    }

    /// <summary>
    /// Closes the consumer within <see cref="GroupLeave.Deadline"/>. It is no longer the worker's: an assignment the close
    /// serves is not taken (<see cref="OnAssigned"/>), so it does not read the store, which may be what failed or is down
    /// at shutdown (its error would replace the caller's).
    /// </summary>
    private async Task LeaveAsync(IConsumer<byte[]?, byte[]?> consumer)
    {
        _consumer = null;
        await GroupLeave.CloseAsync(consumer, _options.Kafka.GroupId, GroupLeave.Deadline, _logger);
    }

    /// <summary>
    /// <c>transaction</c> consistency: reads and decodes what arrived into the buffer, then applies what it releases
    /// (whole source transactions in commit order, and records outside any) in one store transaction with its offsets.
    /// </summary>
    /// <returns>False when stopped.</returns>
    private async Task<bool> StepWholeTransactionsAsync(IConsumer<byte[]?, byte[]?> consumer, ApplyLane lane, TransactionConsistency consistency, CancellationToken stopping)
    {
        if (!consistency.Buffer.Full)
        {
            Collect(consumer, stopping);
        }

        if (_pending.Count > 0)
        {
            var arrived = _pending.ToList();
            _pending.Clear();
            if (!await PrepareUntilDoneAsync(consumer, arrived, stopping))
            {
                return false;
            }

            foreach (var record in arrived)
            {
                var decoded = _context.Decoder.Decode(record);
                consistency.Buffer.Add(decoded, decoded.Failure is { } failure ? failure.Transaction : TrackedEvents.Of(decoded, failed: false));
            }
        }

        await consistency.LookUpAsync(_offsets, _context.Store, stopping);
        var release = consistency.Release(_assigned.Keys.Select(tp => (tp.Topic, tp.Partition.Value)).ToList(), _options.MaxBatchSize);
        foreach (var incomplete in release.Incomplete)
        {
            _context.Metrics.CountAppliedIncomplete();
            Log.AppliedIncomplete(_logger, incomplete.Xid, incomplete.Reason);
        }

        _context.Metrics.BufferedEvents = consistency.Buffer.Count;
        if (release.Records.Count == 0)
        {
            RefreshLag(consumer, []);
            return true;
        }

        var records = release.Records.Select(r => r.Record).ToList();
        lane.Prime(records, release.Records, consistency.TakeUnarrived());
        var progress = await ApplyUntilDoneAsync(consumer, [lane], records, stopping);
        if (progress is null)
        {
            return false;
        }

        StoreOffsets(consumer, progress);
        RefreshLag(consumer, progress);
        return true;
    }

    /// <summary>
    /// What decoding the records needs (Avro writer schemas), fetched before they are decoded into the buffer; while the
    /// registry is down the partitions are paused and it is retried, as for a batch.
    /// </summary>
    /// <returns>False when stopped first.</returns>
    private async Task<bool> PrepareUntilDoneAsync(IConsumer<byte[]?, byte[]?> consumer, List<SinkRecord> records, CancellationToken stopping)
    {
        try
        {
            await _whilePaused.ExecuteAsync(
                async _ =>
                {
                    await StopPollingAsync();
                    try
                    {
                        await _context.Decoder.PrepareAsync(records, CancellationToken.None);
                    }
                    catch (TransientDecodeException e)
                    {
                        Pause(consumer, e);
                        throw new BatchIncompleteException(e);
                    }
                },
                stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            await StopPollingAsync();
        }

        ResumeIfPaused(consumer, attempts: null);
        return true;
    }

    private void Pause(IConsumer<byte[]?, byte[]?> consumer, Exception error)
    {
        _pausedFor = WhatIsDown(error);
        if (!_paused)
        {
            consumer.Pause(consumer.Assignment);
            _paused = true;
        }
    }

    private void ResumeIfPaused(IConsumer<byte[]?, byte[]?> consumer, int? attempts)
    {
        if (_paused)
        {
            consumer.Resume(consumer.Assignment);
            _paused = false;
            if (attempts is { } n)
            {
                Log.StoreRecovered(_logger, n);
            }
        }
    }

    private void Collect(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stopping)
    {
        if (_pending.Count == 0 && Consume(consumer, PollTimeout, stopping) is { } first)
        {
            _pending.Add(first);
        }

        while (_pending.Count > 0 && _pending.Count < _options.MaxBatchSize && Consume(consumer, TimeSpan.Zero, stopping) is { } next)
        {
            _pending.Add(next);
        }
    }

    private SinkRecord? Consume(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(timeout);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                OnKafkaError(e.Error);
                return null;
            }

            if (result is null)
            {
                return null;
            }

            if (!result.IsPartitionEOF)
            {
                if (_gaps.Check(result.TopicPartition, result.Offset.Value, _incarnations.Current(result.Topic)) is { } gap)
                {
                    ReportGap(gap);
                    if (gap.Reason == StreamGap.OffsetsWentBack)
                    {
                        // The topic started over: its offsets from here on count in the new incarnation, and are stored
                        // with its id (under the old one the offsets upsert would refuse them as going back).
                        _incarnations.Refresh([result.Topic]);
                    }
                }

                var m = result.Message;
                return new SinkRecord(result.Topic, result.Partition.Value, result.Offset.Value, m.Key, m.Value, m.Headers);
            }
        }

        return null;
    }

    /// <summary>
    /// Applies a batch. Lanes that fail after the store pipeline's quick retries are retried by the paused pipeline
    /// (<c>cdc-sink-paused</c>) with their partitions paused, until the store or the registry is back; null if stopped first.
    /// </summary>
    private async Task<List<PartitionProgress>?> ApplyUntilDoneAsync(
        IConsumer<byte[]?, byte[]?> consumer, ApplyLane[] lanes, List<SinkRecord> batch, CancellationToken stopping)
    {
        // One lane takes the batch list itself: a lane primed with it (transaction consistency) knows it by reference
        // and does not decode it again.
        var remaining = lanes.Length == 1
            ? new Dictionary<int, List<SinkRecord>> { [0] = batch }
            : batch
                .GroupBy(r => (int)((uint)HashCode.Combine(r.Topic, r.Partition) % (uint)lanes.Length))
                .ToDictionary(g => g.Key, g => g.ToList());
        var done = new List<PartitionProgress>();
        var attempts = 0;
        try
        {
            await _whilePaused.ExecuteAsync(
                async _ =>
                {
                    await StopPollingAsync();
                    attempts++;
                    DropRevoked(remaining);
                    // Each lane starts on its own thread: its decode and plan run beside the other lanes' rather than
                    // one after another on this one before the first of them reaches the store.
                    var tries = remaining.Select(group => Task.Run(async () =>
                    {
                        try
                        {
                            // The drain on shutdown: the batch in flight is not cancelled by the stopping token.
                            var progress = await _store.ExecuteAsync(async ct => await lanes[group.Key].ApplyAsync(group.Value, ct), CancellationToken.None);
                            return (group.Key, Progress: progress, Error: (Exception?)null);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            _context.Metrics.BatchFailures.Add(1);
                            return (group.Key, Progress: (IReadOnlyCollection<PartitionProgress>?)null, Error: e);
                        }
                    }, CancellationToken.None)).ToList();
                    var results = await Task.WhenAll(tries);
                    foreach (var result in results.Where(r => r.Error is null))
                    {
                        done.AddRange(result.Progress!);
                        // Counted as applied here, lane by lane: records a rebalance took away meanwhile were dropped above.
                        Interlocked.Add(ref _recordsApplied, remaining[result.Key].Count);
                        remaining.Remove(result.Key);
                    }

                    if (remaining.Count == 0)
                    {
                        return;
                    }

                    var error = results.First(r => r.Error is not null).Error!;
                    Pause(consumer, error);

                    RefreshLag(consumer, [], remaining.Values.SelectMany(g => g));
                    throw new BatchIncompleteException(error);
                },
                stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            await StopPollingAsync();
        }

        ResumeIfPaused(consumer, attempts);
        return done;
    }

    private void OnKafkaError(Error error)
    {
        Log.KafkaError(_logger, error.Reason);
        // A fetch for a topic Kafka no longer knows (by name or by id): it may have been deleted and created again.
        if (error.Code is ErrorCode.UnknownTopicOrPart || (int)error.Code == UnknownTopicId)
        {
            WakeIncarnationWatch();
        }
    }

    /// <summary>Kafka's UNKNOWN_TOPIC_ID (100), which this client's <see cref="ErrorCode"/> does not name.</summary>
    private const int UnknownTopicId = 100;

    private void WakeIncarnationWatch()
    {
        if (_lookAtIncarnations.CurrentCount == 0)
        {
            _lookAtIncarnations.Release();
        }
    }

    /// <summary>
    /// A topic deleted and created again under the running sink, which grew past the old offset before the sink fetched
    /// again, shows no offset going back: its records below that offset would never be read. So the assigned topics'
    /// ids are compared with the ones their offsets count in every <see cref="IncarnationCheck"/> (one describe call),
    /// and at once after a fetch for an unknown topic; a new id is queued for the consume loop (docs/design.md#no-silent-loss).
    /// </summary>
    private async Task WatchIncarnationsAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _lookAtIncarnations.WaitAsync(IncarnationCheck, stopping);
                var known = _assigned.Keys.Select(tp => tp.Topic).Distinct(StringComparer.Ordinal)
                    .Select(t => (Topic: t, Was: _incarnations.Current(t))).Where(t => t.Was is not null).ToList();
                foreach (var (topic, id) in await _incarnations.ReadAsync(known.Select(t => t.Topic)))
                {
                    var was = known.First(t => t.Topic == topic).Was!;
                    if (id is not null && id != was && !_recreated.Any(r => r.Topic == topic && r.Now == id))
                    {
                        _recreated.Enqueue((topic, was, id));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                Log.KafkaError(_logger, $"comparing topic ids: {e.Message}");
            }
        }
    }

    /// <summary>
    /// On the consume loop: each topic found recreated is a gap in every assigned partition of it (log line, counters,
    /// heal request), its offsets count in the new incarnation from here on, and it is read again from its start.
    /// </summary>
    private void FollowRecreatedTopics(IConsumer<byte[]?, byte[]?> consumer)
    {
        while (_recreated.TryDequeue(out var recreated))
        {
            var (topic, was, id) = recreated;
            if (_incarnations.Current(topic) != was)
            {
                // Already followed (its offsets went back first, or it was assigned again).
                continue;
            }

            _incarnations.Adopt(topic, id);
            _pending.RemoveAll(r => r.Topic == topic);
            _consistency?.Buffer.Forget(_assigned.Keys.Where(tp => tp.Topic == topic).Select(tp => (tp.Topic, tp.Partition.Value)).ToList());
            foreach (var tp in _assigned.Keys.Where(tp => tp.Topic == topic).ToList())
            {
                ReportGap(_gaps.Restart(tp, was));
                consumer.Seek(new TopicPartitionOffset(tp, Offset.Beginning));
            }
        }
    }

    /// <summary>A rebalance while paused may have taken partitions away: their records are the new owner's now.</summary>
    private void DropRevoked(Dictionary<int, List<SinkRecord>> remaining)
    {
        var dropped = 0;
        foreach (var group in remaining.Values)
        {
            dropped += group.RemoveAll(r => !_assigned.ContainsKey(r.TopicPartition));
        }

        if (dropped > 0)
        {
            Log.DroppedRevoked(_logger, dropped);
            _context.Metrics.Released.Add(dropped, new KeyValuePair<string, object?>("stage", "in_flight"));
        }

        foreach (var empty in remaining.Where(g => g.Value.Count == 0).Select(g => g.Key).ToList())
        {
            remaining.Remove(empty);
        }
    }

    /// <summary>
    /// While the paused pipeline waits, the consumer keeps polling (paused partitions return nothing), so it keeps its
    /// group membership and sees rebalances; a record fetched before the pause is kept for the next batch.
    /// </summary>
    private void StartPolling()
    {
        var consumer = _consumer!;
        var stop = _pollingStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        _polling = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Consume(consumer, PollTimeout, stop.Token) is { } early)
                {
                    _pending.Add(early);
                }
            }
        });
    }

    private async Task StopPollingAsync()
    {
        if (_polling is { } polling)
        {
            await _pollingStop!.CancelAsync();
            await polling;
            _pollingStop.Dispose();
            _polling = null;
            _pollingStop = null;
        }
    }

    private static string WhatIsDown(Exception? error) =>
        error is TransientDecodeException ? "schema registry unavailable" : "store unavailable";

    private static void StoreOffsets(IConsumer<byte[]?, byte[]?> consumer, List<PartitionProgress> progress)
    {
        foreach (var p in progress)
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(p.Topic, p.Partition, p.NextOffset));
            }
            catch (KafkaException)
            {
                // No longer assigned: the store holds the offset that matters; the next owner seeks to it.
            }
        }
    }

    /// <param name="held">Records consumed but not applied yet (a batch held up by an outage): still lag.</param>
    private void RefreshLag(IConsumer<byte[]?, byte[]?> consumer, List<PartitionProgress> progress, IEnumerable<SinkRecord>? held = null)
    {
        CheckLogStarts(consumer);
        var unapplied = _pending.Concat(held ?? []).CountBy(r => (r.Topic, r.Partition)).ToDictionary();
        foreach (var (tp, count) in _consistency?.Buffer.HeldPerPartition ?? [])
        {
            unapplied[tp] = unapplied.GetValueOrDefault(tp) + count;
        }

        var sourceTs = progress.Where(p => p.SourceTsMs is not null).ToDictionary(p => (p.Topic, p.Partition), p => p.SourceTsMs!.Value);
        foreach (var tp in _assigned.Keys)
        {
            var high = consumer.GetWatermarkOffsets(tp).High;
            var position = consumer.Position(tp);
            if (high == Offset.Unset || position == Offset.Unset)
            {
                continue;
            }

            var records = Math.Max(0, high.Value - position.Value) + unapplied.GetValueOrDefault((tp.Topic, tp.Partition.Value));
            _context.Metrics.SetLag(tp.Topic, tp.Partition.Value, records, sourceTs.TryGetValue((tp.Topic, tp.Partition.Value), out var ts) ? ts : null);
        }
    }

    /// <summary>
    /// Once a second, each partition's log start as the fetches last reported it (no broker call): retention that
    /// passes a lagging sink's position is a gap even before another record arrives (docs/design.md#no-silent-loss).
    /// </summary>
    private void CheckLogStarts(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_context.Time.GetElapsedTime(_lastLogStartCheck) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastLogStartCheck = _context.Time.GetTimestamp();
        foreach (var tp in _assigned.Keys)
        {
            var low = consumer.GetWatermarkOffsets(tp).Low;
            if (low != Offset.Unset && _gaps.CheckLogStart(tp, low.Value, _incarnations.Current(tp.Topic)) is { } gap)
            {
                ReportGap(gap);
            }
        }
    }

    /// <summary><c>cdc-sink-store</c>: one lane's batch, retried in place a few times, behind a circuit breaker.</summary>
    private ResiliencePipeline BuildStorePipeline()
    {
        var resilience = _options.Resilience;
        var handled = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException and not BrokenCircuitException);
        return ResiliencePipelines.Builder("cdc-sink-store", _options.Kafka.GroupId, _context.Time)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = handled,
                MaxRetryAttempts = Math.Max(1, resilience.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = resilience.RetryBaseDelay,
                MaxDelay = resilience.MaxDelay,
                OnRetry = _ =>
                {
                    _context.Metrics.Retries.Add(1);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = handled,
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = resilience.BreakDuration,
                OnOpened = args =>
                {
                    _pausedFor = WhatIsDown(args.Outcome.Exception);
                    _context.Metrics.CircuitOpen = true;
                    return default;
                },
                OnClosed = _ =>
                {
                    _context.Metrics.CircuitOpen = false;
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// <c>cdc-sink-paused</c>: the lanes a batch could not finish, retried with their partitions paused until the store
    /// (or the Schema Registry) is back, from the circuit's break duration up to <see cref="ResilienceOptions.MaxDelay"/>.
    /// </summary>
    private ResiliencePipeline BuildPausedPipeline()
    {
        var resilience = _options.Resilience;
        var retry = ResiliencePipelines.UntilBack(resilience.BreakDuration, resilience.MaxDelay, e => e is BatchIncompleteException);
        retry.OnRetry = args =>
        {
            var error = args.Outcome.Exception?.InnerException ?? args.Outcome.Exception;
            Log.Paused(_logger, _pausedFor, error?.Message ?? "", (long)args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1);
            StartPolling();
            return default;
        };
        return ResiliencePipelines.Builder("cdc-sink-paused", _options.Kafka.GroupId, _context.Time).AddRetry(retry).Build();
    }

    /// <summary>
    /// <c>cdc-sink-offsets</c> (reading the stored offsets at assignment) and <c>cdc-sink-gaps</c> (recording a gap's
    /// heal request): retried until the store answers, each retry logged.
    /// </summary>
    private ResiliencePipeline BuildUntilStoreAnswersPipeline(string name, Action<ILogger, string, long> log)
    {
        var retry = ResiliencePipelines.UntilBack(_options.Resilience.BreakDuration, _options.Resilience.MaxDelay, e => StoreFailures.Classify(e) != FailureKind.Data);
        retry.OnRetry = args =>
        {
            log(_logger, args.Outcome.Exception?.Message ?? "", (long)args.RetryDelay.TotalMilliseconds);
            return default;
        };
        return ResiliencePipelines.Builder(name, _options.Kafka.GroupId, _context.Time).AddRetry(retry).Build();
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.Kafka.BootstrapServers,
            GroupId = _options.Kafka.GroupId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = 1000,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
            EnablePartitionEof = false,
            // A topic created after start (a new table, a --topics entry that did not exist yet) is subscribed within
            // seconds; librdkafka's default looks every 5 minutes.
            TopicMetadataRefreshIntervalMs = 5_000,
            // A killed instance's partitions move to the others after 6 s (Kafka's minimum), not librdkafka's 45 s.
            SessionTimeoutMs = 6_000,
            HeartbeatIntervalMs = 1_000,
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
            GroupInstanceId = _options.Kafka.InstanceId,
        };
        if (_consistency is not null)
        {
            // A transaction is complete only when its events from every partition are read: smaller fetches per
            // partition (librdkafka's default is 1 MB, thousands of events) take the partitions in turn more finely,
            // so catching up on a backlog holds far fewer events in the buffer before transactions complete.
            config.MaxPartitionFetchBytes = 64 * 1024;
        }

        foreach (var (key, value) in _options.Kafka.Consumer)
        {
            config.Set(key, value);
        }

        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, e) => OnKafkaError(e))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
            .Build();
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        if (!ReferenceEquals(consumer, _consumer))
        {
            // A consumer being closed (see LeaveAsync).
            return [];
        }

        var started = _context.Time.GetTimestamp();
        var stored = ReadStoredOffsets();
        var offsetsRead = _context.Time.GetTimestamp();
        var ids = _incarnations.Refresh(partitions.Select(p => p.Topic));
        var idsRead = _context.Time.GetTimestamp();
        var unread = ids.Where(i => i.Value is null && stored.Any(s => s.Key.Topic == i.Key && s.Value.TopicId is not null)).Select(i => i.Key).ToList();
        if (unread.Count > 0)
        {
            Log.TopicIdsUnread(_logger, string.Join(", ", unread));
        }

        var offsets = new List<TopicPartitionOffset>();
        foreach (var tp in partitions)
        {
            _assigned[tp] = true;
            var id = ids.GetValueOrDefault(tp.Topic);
            if (!stored.TryGetValue((tp.Topic, tp.Partition.Value), out var position))
            {
                // Never read by this group: it must start at the partition's first offset, or it missed records.
                _gaps.Expect(tp, 0);
                offsets.Add(new TopicPartitionOffset(tp, Offset.Beginning));
            }
            else if (position.TopicId is { } was && id is not null && was != id)
            {
                // A new incarnation: the stored offset counts in a topic that no longer exists.
                ReportGap(new StreamGap(tp.Topic, tp.Partition.Value, was, position.NextOffset, null, StreamGap.TopicRecreated));
                _gaps.Expect(tp, 0);
                offsets.Add(new TopicPartitionOffset(tp, Offset.Beginning));
            }
            else
            {
                _gaps.Expect(tp, position.NextOffset);
                offsets.Add(new TopicPartitionOffset(tp, new Offset(position.NextOffset)));
            }

            // Retention may have passed the stored offset with nothing written since: no record would show the gap. The
            // log start the first fetch reports is compared within a second (CheckLogStarts); asking the broker here, per
            // partition, held the assignment up for seconds whenever a broker connection was still coming back.
        }

        Log.Assigned(
            _logger,
            partitions.Count,
            (long)_context.Time.GetElapsedTime(started, offsetsRead).TotalMilliseconds,
            (long)_context.Time.GetElapsedTime(offsetsRead, idsRead).TotalMilliseconds,
            string.Join(", ", offsets.Select(o => $"{o.Topic}[{o.Partition.Value}]@{o.Offset}")));
        return offsets;
    }

    /// <summary>
    /// Says so at once (log line, counters) and records the heal request in the store before anything past the gap
    /// can be committed (docs/design.md#no-silent-loss); waits for the store like the offsets do.
    /// </summary>
    private void ReportGap(StreamGap gap)
    {
        var table = StreamGap.SourceOf(gap.Topic)?.Table ?? gap.Topic;
        Log.Gap(_logger, gap.Topic, gap.Partition, gap.Range, gap.RecordsLost?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", gap.Reason, table);
        _context.Metrics.Gaps.Add(1, new KeyValuePair<string, object?>("topic", gap.Topic), new KeyValuePair<string, object?>("reason", gap.Reason));
        if (gap.RecordsLost is { } lost)
        {
            _context.Metrics.GapRecords.Add(lost, new KeyValuePair<string, object?>("topic", gap.Topic));
        }

        _gapRecords.Execute(_ => _heals.Record(_context.Store, _options.Kafka.GroupId, gap), _stopping);
        _signaller.Wake();
    }

    /// <summary>
    /// A column retyped for a connector that does not re-read the table by itself (Debezium): its rows are re-read
    /// through the heal path, a heal request (no records lost) that the heal signaller sends as an <c>execute-snapshot</c>
    /// signal (docs/design.md#schema-changes).
    /// </summary>
    private void RequestResnapshot(TableTarget target, SinkRecord trigger, string reason)
    {
        if (StreamGap.SourceOf(trigger.Topic) is null)
        {
            // Not a connector's prefix.schema.table topic: there is no connector to ask (the warning named the change).
            return;
        }

        var heal = new StreamGap(trigger.Topic, trigger.Partition, null, trigger.Offset, trigger.Offset - 1, $"{StreamGap.SchemaChanged}: {reason}");
        _gapRecords.Execute(_ => _heals.Record(_context.Store, _options.Kafka.GroupId, heal), _stopping);
        _signaller.Wake();
    }

    /// <summary>The partition's log start (low watermark) from the broker, or null when it does not answer.</summary>
    private static long? LogStart(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value;
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>
    /// The store is the source of truth for positions; without it the worker cannot resume correctly, so the
    /// assignment waits (polling is blocked here, inside the rebalance callback) until the store answers.
    /// </summary>
    private Dictionary<(string Topic, int Partition), StoredPosition> ReadStoredOffsets()
    {
        try
        {
            return _offsets.Execute(static (state, _) => state.Metadata.ReadPositions(state.Store, state.Group), (Metadata: _metadata, Store: _context.Store, Group: _options.Kafka.GroupId), _stopping);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping while partitions are assigned: they still need their stored offsets, so one last read (its
            // failure ends the worker; the consume loop stops right after anyway).
            return _metadata.ReadPositions(_context.Store, _options.Kafka.GroupId);
        }
    }

    private void OnRevoked(List<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            _assigned.TryRemove(tp, out _);
            _gaps.Forget(tp);
            _context.Metrics.ForgetPartition(tp.Topic, tp.Partition.Value);
        }

        var revoked = partitions.ToHashSet();
        var dropped = _pending.RemoveAll(r => revoked.Contains(r.TopicPartition))
            + (_consistency?.Buffer.Forget(partitions.Select(p => (p.Topic, p.Partition.Value))) ?? 0);
        Log.Revoked(_logger, partitions.Count, dropped);
        if (dropped > 0)
        {
            _context.Metrics.Released.Add(dropped, new KeyValuePair<string, object?>("stage", "pending"));
        }
    }
}
