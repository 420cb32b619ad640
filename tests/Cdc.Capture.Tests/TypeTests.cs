using Cdc.Schemas.Registry;
using Cdc.Registry;
using Cdc.Capture.Configuration;
using Cdc.Capture.Tests.Support;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class TypeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task Every_type_arrives_in_Debeziums_mapping_with_nulls_special_floats_and_the_TOAST_placeholder()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, AllTypes.CreateTable, AllTypes.Table);
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader(AllTypes.Table);

        await bed.ExecuteAsync(AllTypes.InsertRows);
        await bed.ExecuteAsync(AllTypes.UpdateKeepingToast);
        var records = await reader.ReadUntilAsync(r => r.Count >= 4, TimeSpan.FromSeconds(30), "three inserts and an update");

        var ordinary = After(records, "1", "c");
        Assert.Equal((short)12, Value(ordinary, "c_int2"));
        Assert.Equal(9876543210L, Value(ordinary, "c_int8"));
        // decimal.handling.mode=string and interval.handling.mode=string, the connector's defaults.
        Assert.Equal("123.45", Value(ordinary, "c_numeric"));
        Assert.Equal("NUMERIC", Schema(ordinary, "c_numeric").Parameter(ConnectLogicalNames.SourceColumnTypeParameter));
        Assert.Equal("3.14159265358979", Value(ordinary, "c_numeric_free"));
        Assert.Equal("12.34", Value(ordinary, "c_money"));
        Assert.Equal("P0Y0M3DT4H5M6.789S", Value(ordinary, "c_interval"));
        Assert.Equal(ConnectLogicalNames.Interval, Schema(ordinary, "c_interval").Name);
        Assert.Equal(new DateOnly(2024, 2, 29), Value(ordinary, "c_date"));
        Assert.Equal(ConnectLogicalNames.Time, Schema(ordinary, "c_time3").Name);
        Assert.Equal(ConnectLogicalNames.MicroTime, Schema(ordinary, "c_time6").Name);
        Assert.Equal(ConnectLogicalNames.MicroTimestamp, Schema(ordinary, "c_ts6").Name);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero).AddTicks(6789010), Value(ordinary, "c_tstz"));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Value(ordinary, "c_uuid"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, Value(ordinary, "c_bytea"));
        Assert.Equal(new string('x', 10000), Value(ordinary, "c_big"));

        var nulls = After(records, "2", "c");
        Assert.All(nulls.Where(c => c.Name != "id"), c => Assert.Null(c.Value));

        var edges = After(records, "3", "c");
        Assert.True(float.IsNaN((float)Value(edges, "c_real")!));
        Assert.Equal(double.PositiveInfinity, Value(edges, "c_double"));
        Assert.Equal(long.MinValue, Value(edges, "c_int8"));
        Assert.Equal("ünïcødé ✓ \"quoted\" \\ back", Value(edges, "c_text"));

        var update = After(records, "1", "u");
        Assert.Same(Unavailable.Value, Value(update, "c_big"));
        Assert.Equal(double.NegativeInfinity, Value(update, "c_double"));
        Assert.Equal(345679, Value(update, "c_int4"));
    }

    [Fact]
    public async Task Through_capture_and_the_real_sink_the_store_ends_equal_to_the_primary_for_every_type()
    {
        // Rows 1-3 travel through the initial snapshot, their copies 11-13 through the stream.
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, AllTypes.CreateTable + ";" + AllTypes.InsertRows, AllTypes.Table);
        var store = await postgres.CreateDatabaseAsync();
        await StoreRows.ExecuteAsync(store, AllTypes.CreateTable);
        await using var capture = await bed.StartAsync();
        await using var sink = await SinkProcess.StartAsync(store, kafka, bed.Topic(AllTypes.Table));
        await CaptureTestBed.UntilStreamingAsync(capture);

        await bed.ExecuteAsync($"INSERT INTO all_types SELECT id + 10, {string.Join(", ", AllTypes.Columns.Skip(1))} FROM all_types");
        await bed.ExecuteAsync(AllTypes.UpdateKeepingToast.Replace("id = 1", "id = 11", StringComparison.Ordinal));
        await bed.ExecuteAsync("UPDATE all_types SET id = 14 WHERE id = 13");
        await bed.ExecuteAsync("DELETE FROM all_types WHERE id = 12");

        var primary = await StoreRows.ReadAsync(bed.SourceConnectionString, AllTypes.SelectText);
        await StoreRows.UntilEqualAsync(store, AllTypes.SelectText, primary, TimeSpan.FromSeconds(60));
        Assert.Equal(5, primary.Count);
    }

    [Fact]
    public async Task In_Avro_through_the_Schema_Registry_the_store_ends_equal_to_the_primary_for_every_type()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, AllTypes.CreateTable + ";" + AllTypes.InsertRows, AllTypes.Table);
        bed.Options.Format = CaptureOptions.AvroFormat;
        bed.Options.SchemaRegistry[SchemaRegistrySettings.Url] = registry.Url;
        var store = await postgres.CreateDatabaseAsync();
        await StoreRows.ExecuteAsync(store, AllTypes.CreateTable);
        await using var capture = await bed.StartAsync();
        await using var sink = await SinkProcess.StartAvroAsync(store, kafka, registry.Url, bed.Topic(AllTypes.Table));
        await CaptureTestBed.UntilStreamingAsync(capture);

        await bed.ExecuteAsync($"INSERT INTO all_types SELECT id + 10, {string.Join(", ", AllTypes.Columns.Skip(1))} FROM all_types");
        await bed.ExecuteAsync(AllTypes.UpdateKeepingToast.Replace("id = 1", "id = 11", StringComparison.Ordinal));
        await bed.ExecuteAsync("DELETE FROM all_types WHERE id = 12");

        var primary = await StoreRows.ReadAsync(bed.SourceConnectionString, AllTypes.SelectText);
        await StoreRows.UntilEqualAsync(store, AllTypes.SelectText, primary, TimeSpan.FromSeconds(60));
        Assert.Contains(registry.Requests, r => r.Contains($"{bed.Topic(AllTypes.Table)}-value", StringComparison.Ordinal));
    }

    private static RowImage After(IReadOnlyList<CapturedRecord> records, string key, string op) =>
        records.Single(r => r.KeyText == key && r.Op == op).Event!.After!;

    private static object? Value(RowImage row, string column) => row.TryGet(column, out var c) ? c.Value : throw new KeyNotFoundException(column);

    private static ConnectSchema Schema(RowImage row, string column) => row.TryGet(column, out var c) ? c.Schema! : throw new KeyNotFoundException(column);
}
