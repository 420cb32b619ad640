using System.Diagnostics.Metrics;
using Cdc.Sink.Tests.Hostile;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Bugs;

/// <summary>
/// Issue 13, items 4 and 6, through the real worker. A source column named like one of the sink's own columns
/// (<c>_cdc_commit_lsn</c>) made the store refuse every batch and the circuit open for all tables, or (<c>_cdc_deleted</c>)
/// stayed NULL; a key contradicting its row was applied as the row said. Now the table is refused with one clear
/// message (its records dead-lettered), a store error specific to one table is data, not an outage, and a key that
/// contradicts its row is dead-lettered; every other record keeps flowing and the circuit never opens.
/// </summary>
public sealed class Issue13NamesAndKeysTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Int64 = """{"type":"int64","optional":true}""";
    private const string Boolean = """{"type":"boolean","optional":true}""";
    private const string Text = """{"type":"string","optional":true}""";

    [Fact]
    public async Task Source_columns_named_like_the_sinks_own_refuse_only_their_table()
    {
        var collide = KafkaFixture.UniqueName("p.public.collide");
        var ok = KafkaFixture.UniqueName("p.public.fine");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, collide, ok);
        var refused = new[]
        {
            bed.Send(collide, SchemaEvents.Key(1), SchemaEvents.Create("collide", 1, 1, new Field("_cdc_commit_lsn", Int64, "5"), new Field("note", Text, "\"a\""))),
            bed.Send(collide, SchemaEvents.Key(2), SchemaEvents.Create("collide", 2, 2, new Field("_cdc_deleted", Boolean, "true"))),
            bed.Send(collide, SchemaEvents.Key(3), SchemaEvents.Create("collide", 3, 3, new Field("_cdc_key", Text, "\"k\""))),
        };
        for (var id = 1; id <= 3; id++)
        {
            bed.Send(ok, SchemaEvents.Key(id), SchemaEvents.Create("fine", id, 10 + id, new Field("note", Text, $"\"n{id}\"")));
        }

        var failures = await RunCountingBatchFailuresAsync(bed);

        var deadLetters = bed.DeadLetters(3);
        Assert.Equal(refused, deadLetters.Select(Hostile.DeadLetters.Offset));
        Assert.All(deadLetters, d => Assert.Contains("refused: its column", Hostile.DeadLetters.Header(d, "exception.message"), StringComparison.Ordinal));
        Assert.Contains("\"_cdc_commit_lsn\"", Hostile.DeadLetters.Header(deadLetters[0], "exception.message"), StringComparison.Ordinal);
        Assert.Contains("Tables[].Rename", Hostile.DeadLetters.Header(deadLetters[0], "exception.message"), StringComparison.Ordinal);
        Assert.Equal(["1|n1", "2|n2", "3|n3"], await bed.Store.RowsAsync("SELECT id, note FROM public.fine ORDER BY id"));
        Assert.Empty(await bed.Store.RowsAsync("SELECT 1 FROM pg_class WHERE relname = 'collide'"));
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task Renamed_in_the_mapping_a_reserved_source_name_is_stored_under_its_new_name()
    {
        var topic = KafkaFixture.UniqueName("p.public.collide");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, topic);
        bed.Options.Tables.Add(new() { Topic = topic, Rename = { ["_cdc_deleted"] = "src_deleted" } });
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("collide", 1, 1, new Field("_cdc_deleted", Boolean, "true")));

        await bed.RunAsync();

        Assert.Equal(["1|True"], await bed.Store.RowsAsync("SELECT id, src_deleted FROM public.collide"));
    }

    [Fact]
    public async Task A_store_error_of_one_table_refuses_its_records_and_never_opens_the_circuit()
    {
        var generated = KafkaFixture.UniqueName("p.public.generated");
        var ok = KafkaFixture.UniqueName("p.public.fine");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, generated, ok);
        await bed.Store.ExecuteAsync("CREATE TABLE public.generated (id bigint PRIMARY KEY, total bigint GENERATED ALWAYS AS (id * 2) STORED)");
        var refused = new[]
        {
            bed.Send(generated, SchemaEvents.Key(1), SchemaEvents.Create("generated", 1, 1, new Field("total", Int64, "9"))),
            bed.Send(generated, SchemaEvents.Key(2), SchemaEvents.Create("generated", 2, 2, new Field("total", Int64, "9"))),
        };
        bed.Send(ok, SchemaEvents.Key(1), SchemaEvents.Create("fine", 1, 3, new Field("note", Text, "\"n\"")));

        var failures = await RunCountingBatchFailuresAsync(bed);

        var deadLetters = bed.DeadLetters(2);
        Assert.Equal(refused, deadLetters.Select(Hostile.DeadLetters.Offset));
        Assert.Contains("428C9", Hostile.DeadLetters.Header(deadLetters[0], "exception.message"), StringComparison.Ordinal);
        Assert.Equal(["1|n"], await bed.Store.RowsAsync("SELECT id, note FROM public.fine"));
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task A_key_that_contradicts_its_row_is_dead_lettered_with_the_reason()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.orders"));
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("orders", 1, 1, new Field("note", Text, "\"a\"")));
        var mismatch = bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("orders", 2, 2, new Field("note", Text, "\"b\"")));
        bed.Send(SchemaEvents.Key(3), SchemaEvents.Create("orders", 3, 3, new Field("note", Text, "\"c\"")));

        await bed.RunAsync();

        var deadLetter = Assert.Single(bed.DeadLetters(1));
        Assert.Equal(mismatch, Hostile.DeadLetters.Offset(deadLetter));
        Assert.Contains("the record's key (id=1) contradicts its row (id=2)", Hostile.DeadLetters.Header(deadLetter, "exception.message"), StringComparison.Ordinal);
        Assert.Equal(["1|a", "3|c"], await bed.Store.RowsAsync("SELECT id, note FROM public.orders ORDER BY id"));
    }

    // Runs the worker over what was sent, counting the batches that failed as a store outage (each pauses every partition).
    private static async Task<long> RunCountingBatchFailuresAsync(TopicBed bed)
    {
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Cdc.Sink.Worker.SinkMetrics.MeterName && instrument.Name == "cdc_sink_batch_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (bed.Started is { } sink && instrument.Meter == sink.Sink.Metrics.Meter)
            {
                Interlocked.Add(ref failures, value);
            }
        });
        listener.Start();
        await bed.RunAsync();
        return Interlocked.Read(ref failures);
    }
}
