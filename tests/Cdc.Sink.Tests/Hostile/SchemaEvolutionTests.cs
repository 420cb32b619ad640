using Cdc.Testing;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// Schemas that change mid-stream, through the real worker (JsonConverter with schemas): a column added is added; a
/// column widened at the source is widened in the store (or, with AutoEvolve off, its events dead-lettered with the
/// reason), never rounded or cut short; a logical type the sink does not know is applied as its Connect type.
/// </summary>
public sealed class SchemaEvolutionTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Int32 = """{"type":"int32","optional":true}""";
    private const string Int64 = """{"type":"int64","optional":true}""";
    private const string Text = """{"type":"string","optional":true}""";

    [Fact]
    public async Task Run_ColumnAddedAndWidened_StoreFollowsWithoutLoss()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.evolving"));
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("evolving", 1, 1,
            new Field("qty", Int32, "5"), new Field("price", Decimal(7, 2), "\"MDk=\""), new Field("at", Logical("int64", "io.debezium.time.Timestamp"), "1559036304863")));
        await bed.RunAsync();
        bed.Send(SchemaEvents.Key(2), SchemaEvents.Create("evolving", 2, 2,
            new Field("qty", Int64, "1099511627776"), new Field("price", Decimal(12, 4), "\"ALxhTg==\""),
            new Field("at", Logical("int64", "io.debezium.time.MicroTimestamp"), "1559033904863769"), new Field("note", Text, "\"added\"")));
        await bed.RunAsync();

        var deadLetters = bed.DeadLetters(0);
        Assert.True(deadLetters.Count == 0, DeadLetters.Describe(deadLetters));
        Assert.Equal(
            ["id|bigint", "qty|bigint", "price|numeric(12,4)", "at|timestamp(6) without time zone", "_cdc_commit_lsn|bigint", "_cdc_event_lsn|bigint", "note|text"],
            await bed.Store.RowsAsync("SELECT attname || '|' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.evolving'::regclass AND attnum > 0 ORDER BY attnum"));
        Assert.Equal(
            ["1|5|123.4500|2019-05-28 09:38:24.863|NULL", "2|1099511627776|1234.5678|2019-05-28 08:58:24.863769|added"],
            await bed.Store.RowsAsync("SELECT id, qty, price::text, at::text, coalesce(note, 'NULL') FROM public.evolving ORDER BY id"));
    }

    [Fact]
    public async Task Run_VarcharWidenedAtSource_WidenedWhenTheSchemaSaysSoElseDeadLetteredNeverCut()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.labels"));
        await bed.Store.ExecuteAsync("CREATE TABLE public.labels (id bigint PRIMARY KEY, label varchar(20))");
        var longer = new string('x', 30);
        var withLength = """{"type":"string","optional":true,"parameters":{"__debezium.source.column.type":"VARCHAR","__debezium.source.column.length":"200"}}""";
        var poison = bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("labels", 1, 1, new Field("label", Text, $"\"{longer}\"")));
        await bed.RunAsync();
        bed.Send(SchemaEvents.Key(2), SchemaEvents.Create("labels", 2, 2, new Field("label", withLength, $"\"{longer}\"")));
        await bed.RunAsync();

        var deadLetter = Assert.Single(bed.DeadLetters(1));
        Assert.Equal(poison, DeadLetters.Offset(deadLetter));
        Assert.Contains("22001", DeadLetters.Header(deadLetter, "exception.message"), StringComparison.Ordinal);
        Assert.Equal([$"2|{longer}|character varying(200)"], await bed.Store.RowsAsync(
            "SELECT id, label, format_type(atttypid, atttypmod) FROM public.labels, pg_attribute WHERE attrelid = 'public.labels'::regclass AND attname = 'label'"));
    }

    [Fact]
    public async Task Run_WidenedWithAutoEvolveOff_DeadLetteredWithReason()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.fixed"));
        bed.Options.Defaults.AutoEvolve = false;
        await bed.Store.ExecuteAsync("CREATE TABLE public.fixed (id bigint PRIMARY KEY, price numeric(7,2))");
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("fixed", 1, 1, new Field("price", Decimal(7, 2), "\"MDk=\"")));
        var poison = bed.Send(SchemaEvents.Key(2), SchemaEvents.Create("fixed", 2, 2, new Field("price", Decimal(12, 4), "\"ALxhTg==\"")));
        await bed.RunAsync();

        var deadLetter = Assert.Single(bed.DeadLetters(1));
        Assert.Equal(poison, DeadLetters.Offset(deadLetter));
        Assert.Contains("price of public.fixed is numeric(7,2) but the event carries numeric(12,4) values; AutoEvolve is off", DeadLetters.Header(deadLetter, "exception.message"), StringComparison.Ordinal);
        Assert.Equal(["1|123.45"], await bed.Store.RowsAsync("SELECT id, price::text FROM public.fixed"));
    }

    [Fact]
    public async Task Run_UnknownLogicalTypes_AppliedAsTheirConnectType()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.exotic"));
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("exotic", 1, 1,
            new Field("cents", Logical("int64", "com.example.Money"), "4200"),
            new Field("code", Logical("string", "com.example.IsoCode", """{"length":"3"}"""), "\"EUR\""),
            new Field("blob", Logical("bytes", "com.example.Blob"), "\"AQI=\""),
            new Field("flag", Logical("boolean", "io.debezium.data.SomethingNew"), "true")));
        var poison = bed.Send(SchemaEvents.Key(2), SchemaEvents.Create("exotic", 2, 2,
            new Field("cents", Logical("int64", "com.example.Money"), "1"), new Field("day", Logical("string", "io.debezium.time.Date"), "\"not a day\"")));
        await bed.RunAsync();

        Assert.Equal(["1|4200|EUR|\\x0102|true"], await bed.Store.RowsAsync("SELECT id, cents, code, blob::text, flag::text FROM public.exotic ORDER BY id"));
        Assert.Equal(
            ["cents|bigint", "code|text", "blob|bytea", "flag|boolean"],
            await bed.Store.RowsAsync("SELECT attname || '|' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.exotic'::regclass AND attname IN ('cents','code','blob','flag') ORDER BY attnum"));
        var deadLetter = Assert.Single(bed.DeadLetters(1));
        Assert.Equal(poison, DeadLetters.Offset(deadLetter));
        Assert.False(string.IsNullOrWhiteSpace(DeadLetters.Header(deadLetter, "exception.message")));
    }

    [Fact]
    public async Task Run_SchemaChangeTheStoreRefuses_DeadLetteredNeighboursApplied()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.amounts"));
        await bed.Store.ExecuteAsync("CREATE TABLE public.amounts (id bigint PRIMARY KEY, amount integer); INSERT INTO public.amounts VALUES (1, 100000)");
        var poison = new[]
        {
            bed.Send(SchemaEvents.Key(2), SchemaEvents.Create("amounts", 2, 2, new Field("amount", Decimal(5, 2), "\"MDk=\""))),
            bed.Send(SchemaEvents.Key(3), SchemaEvents.Create("too_precise", 3, 3, new Field("amount", Decimal(5000, 2), "\"MDk=\""))),
        };
        bed.Send(SchemaEvents.Key(4), SchemaEvents.Create("amounts", 4, 4, new Field("amount", Int32, "7")));
        await bed.RunAsync();

        var deadLetters = bed.DeadLetters(2);
        Assert.Equal(poison, deadLetters.Select(DeadLetters.Offset));
        Assert.Contains("22003", DeadLetters.Header(deadLetters[0], "exception.message"), StringComparison.Ordinal);
        Assert.Contains("22023", DeadLetters.Header(deadLetters[1], "exception.message"), StringComparison.Ordinal);
        Assert.Equal(["1|100000", "4|7"], await bed.Store.RowsAsync("SELECT id, amount FROM public.amounts ORDER BY id"));
    }

    private static string Decimal(int precision, int scale) =>
        $$$"""{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"{{{scale}}}","connect.decimal.precision":"{{{precision}}}"}}""";

    private static string Logical(string type, string name, string parameters = "{}") =>
        $$"""{"type":"{{type}}","optional":true,"name":"{{name}}","version":1,"parameters":{{parameters}}}""";
}
