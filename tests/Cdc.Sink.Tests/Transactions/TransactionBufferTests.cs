using Cdc.Sink.Planning;
using Cdc.Sink.Transactions;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Tests.Transactions;

/// <summary>
/// <see cref="TransactionBuffer"/>'s rules for <c>--consistency transaction</c>: a transaction is released whole, in
/// commit order, only from the front of its partitions; one that cannot complete is released with the reason.
/// </summary>
public sealed class TransactionBufferTests
{
    private const string Orders = "cdc.public.orders";
    private const string Items = "cdc.public.order_items";
    private static readonly (string, int)[] Assigned = [(Orders, 0), (Items, 0), (Items, 1)];

    private readonly ManualTime _time = new();
    private readonly Dictionary<long, TransactionEnd> _ends = [];

    [Fact]
    public void A_transaction_spread_over_partitions_is_released_whole_once_its_END_count_has_arrived()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Add(buffer, Items, 0, 0, xid: 7, order: 2);
        Add(buffer, Orders, 0, 1, xid: null, order: 0);
        Assert.Empty(Release(buffer).Records);

        _ends[7] = new TransactionEnd(100, 3, null);
        Assert.Empty(Release(buffer).Records);

        Add(buffer, Items, 1, 0, xid: 7, order: 3);
        var release = Release(buffer);
        Assert.Equal(["cdc.public.order_items@0", "cdc.public.order_items@0", "cdc.public.orders@0", "cdc.public.orders@1"], release.Records.Select(Name).Order(StringComparer.Ordinal));
        Assert.Empty(release.Incomplete);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Records_outside_transactions_wait_behind_an_incomplete_one_in_their_partition_and_pass_elsewhere()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Add(buffer, Orders, 0, 1, xid: null, order: 0);
        Add(buffer, Items, 0, 0, xid: null, order: 0);
        _ends[7] = new TransactionEnd(100, 2, null);
        Assert.Equal(["cdc.public.order_items@0"], Release(buffer).Records.Select(Name));
        Assert.Equal(2, buffer.Count);
    }

    [Fact]
    public void A_later_complete_transaction_waits_for_an_earlier_incomplete_one()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Add(buffer, Items, 1, 0, xid: 8, order: 1);
        _ends[7] = new TransactionEnd(100, 2, null);
        _ends[8] = new TransactionEnd(200, 1, null);
        Assert.Empty(Release(buffer).Records);

        Add(buffer, Items, 0, 0, xid: 7, order: 2);
        Assert.Equal(3, Release(buffer).Records.Count);
    }

    [Fact]
    public void A_missing_END_is_proven_by_a_later_transaction_whose_END_came()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Add(buffer, Orders, 0, 1, xid: 8, order: 1);
        Assert.Empty(Release(buffer).Records);

        _ends[8] = new TransactionEnd(200, 1, null);
        var release = Release(buffer);
        Assert.Equal(2, release.Records.Count);
        Assert.Equal(7, Assert.Single(release.Incomplete).Xid);
        Assert.Contains("END never came", release.Incomplete[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_that_never_arrive_are_proven_missing_when_every_partition_moved_past_and_count_as_failed()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        _ends[7] = new TransactionEnd(100, 3, new Dictionary<string, long> { [Orders] = 1, [Items] = 2 });
        _ends[8] = new TransactionEnd(200, 2, null);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Add(buffer, Items, 0, 0, xid: 7, order: 2);
        Add(buffer, Items, 0, 1, xid: 8, order: 1);
        Assert.Empty(Release(buffer).Records);

        // The third event (an undecodable record that named no transaction, say) is in neither partition of the items
        // topic: both have moved past its commit.
        Add(buffer, Items, 1, 0, xid: 8, order: 2);
        var release = Release(buffer);
        Assert.Equal(4, release.Records.Count);
        Assert.Equal(7, Assert.Single(release.Incomplete).Xid);
        var failed = Assert.Single(release.Unarrived);
        Assert.Equal((7L, true), (failed.Xid, failed.Failed));
    }

    [Fact]
    public void An_incomplete_transaction_is_released_after_the_wait_and_the_largest_when_the_buffer_is_full()
    {
        var buffer = new TransactionBuffer(3, TimeSpan.FromSeconds(30), _time);
        _ends[7] = new TransactionEnd(100, 5, null);
        Add(buffer, Orders, 0, 0, xid: 7, order: 1);
        Assert.Empty(Release(buffer).Records);
        _time.Advance(TimeSpan.FromSeconds(31));
        var waited = Release(buffer);
        Assert.Single(waited.Records);
        Assert.Contains("1 of its 5 events arrived within", Assert.Single(waited.Incomplete).Reason, StringComparison.Ordinal);

        _ends[9] = new TransactionEnd(300, 10, null);
        foreach (var offset in new[] { 0, 1, 2 })
        {
            Add(buffer, Items, 0, offset, xid: 9, order: offset + 1);
        }

        var full = Release(buffer);
        Assert.Equal(3, full.Records.Count);
        Assert.Contains("--transaction-buffer 3", Assert.Single(full.Incomplete).Reason, StringComparison.Ordinal);
        Add(buffer, Items, 0, 3, xid: 9, order: 4);
        Assert.Single(Release(buffer).Records);
    }

    [Fact]
    public void Events_a_run_before_a_restart_applied_count_toward_completion_and_revoked_partitions_are_forgotten()
    {
        var buffer = new TransactionBuffer(1000, TimeSpan.FromSeconds(30), _time);
        Add(buffer, Orders, 0, 5, xid: 7, order: 3);
        Add(buffer, Items, 0, 0, xid: 7, order: 4);
        Assert.Equal([7L], buffer.ToLookUp(_ => null));
        buffer.LookedUp(7, new TransactionEnd(100, 4, null), stored: 2);
        Assert.Equal(1, buffer.Forget([(Items, 0)]));
        Assert.Empty(Release(buffer).Records);
        Add(buffer, Items, 0, 0, xid: 7, order: 4);
        Assert.Equal(2, Release(buffer).Records.Count);
    }

    private BufferRelease Release(TransactionBuffer buffer) => buffer.Release(x => _ends.GetValueOrDefault(x), Assigned, 10_000);

    private static string Name(DecodedRecord record) => $"{record.Record.Topic}@{record.Record.Offset}";

    private static void Add(TransactionBuffer buffer, string topic, int partition, long offset, long? xid, long order) =>
        buffer.Add(
            new DecodedRecord(new SinkRecord(topic, partition, offset, null, null, null), null, null),
            xid is { } x ? new TransactionEvent(x, order, topic, Failed: false, Key: null) : null);

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
