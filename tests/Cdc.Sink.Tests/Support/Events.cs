using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Sink.Planning;

namespace Cdc.Sink.Tests.Support;

/// <summary>Builds decoded change events for planner and store tests (typed values, as a decoder yields them).</summary>
internal static class Events
{
    public static readonly ConnectSchema Int64 = new() { Type = ConnectType.Int64, Optional = false };
    public static readonly ConnectSchema Text = new() { Type = ConnectType.String };

    private static long _offset;

    public static RowImage Row(params (string Name, object? Value)[] columns) =>
        new(columns.Select(c => new Column(c.Name, c.Value, c.Value is long or int ? Int64 : Text)));

    public static DecodedRecord Change(
        ChangeOperation op,
        long id,
        (long Commit, long Event)? version,
        params (string Name, object? Value)[] values) =>
        Change(op, id, version, incremental: version is null, values);

    /// <param name="incremental">An incremental-snapshot read: it may still carry a sequence (its send position).</param>
    public static DecodedRecord Change(
        ChangeOperation op,
        long id,
        (long Commit, long Event)? version,
        bool incremental,
        params (string Name, object? Value)[] values)
    {
        var key = Row(("id", id));
        var image = Row([("id", id), .. values]);
        var ev = new ChangeEvent
        {
            Operation = op,
            Before = op == ChangeOperation.Delete ? key : null,
            After = op == ChangeOperation.Delete ? null : image,
            Source = new SourceInfo
            {
                Table = "orders",
                Schema = "public",
                TsMs = 1_700_000_000_000,
                ChangeVersion = version is { } v ? new ChangeVersion(v.Commit, v.Event) : null,
                Snapshot = incremental ? "incremental" : "false",
            },
        };
        return Record(new ChangeRecord(key, ev));
    }

    public static DecodedRecord Tombstone(long id) => Record(new ChangeRecord(Row(("id", id)), null));

    public static DecodedRecord Truncate((long Commit, long Event) version) => Record(new ChangeRecord(null, new ChangeEvent
    {
        Operation = ChangeOperation.Truncate,
        Source = new SourceInfo { Table = "orders", Schema = "public", ChangeVersion = new ChangeVersion(version.Commit, version.Event) },
    }));

    public static DecodedRecord Record(ChangeRecord change, string topic = "shop.public.orders", int partition = 0) =>
        new(new SinkRecord(topic, partition, Interlocked.Increment(ref _offset), null, null, null), change, null);
}
