using Cdc.Testing;
using Npgsql;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// Table and column names from events, and schema names and renames from configuration, that would be SQL if
/// concatenated: every one is created and written as a name (checked in the catalog by parameter, not by quoting it
/// again), a canary table survives, and a name PostgreSQL would silently truncate (over 63 bytes) is dead-lettered
/// with the reason instead of stalling the partition or landing in a shortened table.
/// </summary>
public sealed class HostileIdentifierTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Text = """{"type":"string","optional":true}""";

    private static readonly string[] Names =
    [
        "x\"; DROP TABLE canary; --",
        "o'rders; DELETE FROM canary; --",
        "select",
        "Orders With Spaces",
        "ORDERS",
        "ордера_ü_注文",
        "tab\tle\\",
        "$1",
        new string('n', 63),
        "é" + new string('é', 30) + "x",
    ];

    [Fact]
    public async Task Run_HostileTableAndColumnNames_AppliedAsNamesCanarySurvives()
    {
        var topic = KafkaFixture.UniqueName("Shop.PUBLIC.Weird_Topic-Name");
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, topic);
        await bed.Store.ExecuteAsync("CREATE TABLE public.canary (id int); INSERT INTO public.canary VALUES (1)");
        for (var i = 0; i < Names.Length; i++)
        {
            var column = Names[(i + 1) % Names.Length];
            bed.Send(SchemaEvents.Key(i), SchemaEvents.Create(Names[i], i, i + 1, new Field(column, Text, System.Text.Json.JsonSerializer.Serialize(Names[i]))));
        }

        var tooLong = new string('t', 64);
        var poison = new[]
        {
            bed.Send(SchemaEvents.Key(100), SchemaEvents.Create(tooLong, 100, 100, new Field("c", Text, "\"v\""))),
            bed.Send(SchemaEvents.Key(101), SchemaEvents.Create("fine", 101, 101, new Field("ü" + new string('c', 62), Text, "\"v\""))),
        };
        bed.Send(SchemaEvents.Key(102), SchemaEvents.Create("fine", 102, 102, new Field("c", Text, "\"after the poison\"")));
        await bed.RunAsync();

        await using var store = NpgsqlDataSource.Create(bed.Store.ConnectionString);
        for (var i = 0; i < Names.Length; i++)
        {
            Assert.Equal(Names[i], await ValueAsync(store, Names[i], Names[(i + 1) % Names.Length]));
        }

        Assert.Equal(["1"], await bed.Store.RowsAsync("SELECT id FROM public.canary"));
        var deadLetters = bed.DeadLetters(2);
        Assert.Equal(poison, deadLetters.Select(DeadLetters.Offset));
        Assert.All(deadLetters, m => Assert.Contains("longer than 63 bytes", DeadLetters.Header(m, "exception.message"), StringComparison.Ordinal));
        Assert.Equal(["102|after the poison"], await bed.Store.RowsAsync("SELECT id, c FROM public.fine"));
        Assert.Equal(["0"], await bed.Store.RowsAsync("SELECT count(*) FROM pg_class WHERE relname LIKE 'tttttttttt%'"));
    }

    [Fact]
    public async Task Run_HostileSchemasAndRenamesInConfiguration_QuotedAsNames()
    {
        await using var bed = await TopicBed.CreateAsync(postgres, kafka, KafkaFixture.UniqueName("p.public.orders"));
        await bed.Store.ExecuteAsync("CREATE TABLE public.canary (id int); INSERT INTO public.canary VALUES (1)");
        bed.Options.MetadataSchema = "cdc\"; DROP TABLE public.canary; --";
        bed.Options.TargetSchema = "Target'); DROP TABLE public.canary; --";
        bed.Options.Defaults.Rename["note"] = "n\"); DELETE FROM public.canary; --";
        bed.Options.Kafka.GroupId = "g'; DROP TABLE public.canary; --" + Guid.NewGuid().ToString("N");
        bed.Send(SchemaEvents.Key(1), SchemaEvents.Create("orders", 1, 1, new Field("note", Text, "\"kept\"")));
        await bed.RunAsync();

        await using var store = NpgsqlDataSource.Create(bed.Store.ConnectionString);
        Assert.Equal("kept", await ValueAsync(store, "orders", bed.Options.Defaults.Rename["note"], bed.Options.TargetSchema));
        Assert.Equal(["1"], await bed.Store.RowsAsync("SELECT id FROM public.canary"));
        await using var offsets = store.CreateCommand("SELECT count(*) FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid WHERE n.nspname = $1 AND c.relname = 'offsets'");
        offsets.Parameters.Add(new NpgsqlParameter { Value = bed.Options.MetadataSchema });
        Assert.Equal(1L, await offsets.ExecuteScalarAsync());
    }

    /// <summary>The column's value in the table's only row, finding both by name through the catalog.</summary>
    private static async Task<string?> ValueAsync(NpgsqlDataSource store, string table, string column, string schema = "public")
    {
        await using var find = store.CreateCommand("""
            SELECT format('SELECT %I::text FROM %I.%I', a.attname, n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3
            """);
        find.Parameters.Add(new NpgsqlParameter { Value = schema });
        find.Parameters.Add(new NpgsqlParameter { Value = table });
        find.Parameters.Add(new NpgsqlParameter { Value = column });
        var select = await find.ExecuteScalarAsync() as string;
        Assert.True(select is not null, $"no column '{column}' in table '{schema}'.'{table}'");
        await using var read = store.CreateCommand(select);
        return await read.ExecuteScalarAsync() as string;
    }
}
