using System.Text;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

public class DebeziumJsonDecoderTests
{
    [Fact]
    public void Decode_CreateWithSchema_TypedRowsAndSource()
    {
        var record = GoldenFixture.Load("create.schema.json").Decode()[0];

        var key = Assert.IsType<RowImage>(record.Key);
        Assert.Equal(1, RowAssert.Value(key, "id"));
        Assert.False(key.IsSchemaless);
        var e = Assert.IsType<ChangeEvent>(record.Event);
        Assert.Equal(ChangeOperation.Create, e.Operation);
        Assert.Null(e.Before);
        Assert.NotNull(e.After);
        Assert.Equal(["id", "first_name", "last_name", "email"], e.After.Select(c => c.Name));
        Assert.Equal("Anne", RowAssert.Value(e.After, "first_name"));
        Assert.Equal(ConnectType.String, e.After[1].Schema!.Type);
        Assert.False(e.After[1].Schema!.Optional);
        Assert.Equal(1559033904863L, e.TsMs);
        Assert.Null(e.Transaction);
        Assert.Null(e.Message);
        var s = e.Source;
        Assert.Equal("3.1.3.Final", s.Version);
        Assert.Equal("postgresql", s.Connector);
        Assert.Equal("dbserver1", s.Name);
        Assert.Equal(1559033904863L, s.TsMs);
        Assert.Equal(1559033904863123L, s.TsUs);
        Assert.Equal(1559033904863123000L, s.TsNs);
        Assert.Equal("false", s.Snapshot);
        Assert.Equal("inventory", s.Db);
        Assert.Equal("[\"24023119\",\"24023128\"]", s.Sequence);
        Assert.Equal("public", s.Schema);
        Assert.Equal("customers", s.Table);
        Assert.Equal(555L, s.TxId);
        Assert.Equal(24023128L, s.Lsn);
        Assert.Null(s.Xmin);
        Assert.Equal(new ChangeVersion(24023119, 24023128), s.ChangeVersion);
    }

    [Fact]
    public void Decode_CreateWithTransactionMetadata_ReadsTransactionBlock()
    {
        var e = GoldenFixture.Load("create.schema.json").Decode()[1].Event!;

        Assert.Equal(new TransactionBlock("555:24023128", 2, 2), e.Transaction);
    }

    [Fact]
    public void Decode_CreateWithoutSchema_RawElementsResolvedByWithSchema()
    {
        var record = GoldenFixture.Load("create.noschema.json").Decode()[0];

        Assert.True(record.Key!.IsSchemaless);
        Assert.Equal(1, Assert.IsType<JsonElement>(RowAssert.Value(record.Key, "id")).GetInt32());
        var after = record.Event!.After!;
        Assert.True(after.IsSchemaless);
        Assert.Equal("Anne", Assert.IsType<JsonElement>(RowAssert.Value(after, "first_name")).GetString());

        var typed = after.WithSchema(Struct(("id", "integer"), ("first_name", "character varying(255)"), ("email", "text")));
        Assert.Equal(1, RowAssert.Value(typed, "id"));
        Assert.Equal("Anne", RowAssert.Value(typed, "first_name"));
        Assert.IsType<JsonElement>(RowAssert.Value(typed, "last_name"));
        Assert.True(typed.IsSchemaless);
        Assert.Equal(new ChangeVersion(24023119, 24023128), record.Event.Source.ChangeVersion);
    }

    [Fact]
    public void Decode_SchemalessValues_OutliveTheInputBuffer()
    {
        var fixture = GoldenFixture.Load("create.noschema.json");
        var value = (byte[])fixture.Records[0].Value!.Clone();
        var record = new DebeziumJsonDecoder().Decode(fixture.Topic, null, value);

        Array.Fill(value, (byte)' ');
        GC.Collect();

        Assert.Equal("annek@noanswer.org", ((JsonElement)RowAssert.Value(record.Event!.After, "email")!).GetString());
    }

    [Theory]
    [InlineData("update-full.schema.json")]
    [InlineData("update-full.noschema.json")]
    public void Decode_UpdateReplicaIdentityFull_HasBeforeAndAfter(string fixture)
    {
        var e = GoldenFixture.Load(fixture).Decode()[0].Event!;

        Assert.Equal(ChangeOperation.Update, e.Operation);
        Assert.Equal("Anne", Text(RowAssert.Value(e.Before, "first_name")));
        Assert.Equal("Anne Marie", Text(RowAssert.Value(e.After, "first_name")));
        Assert.Equal(1465584025523L, e.TsMs);
        Assert.Equal(556L, e.Source.TxId);
    }

    [Fact]
    public void Decode_UpdateReplicaIdentityDefault_BeforeIsNull()
    {
        var e = GoldenFixture.Load("update-default.schema.json").Decode()[0].Event!;

        Assert.Equal(ChangeOperation.Update, e.Operation);
        Assert.Null(e.Before);
        Assert.Equal("Anne Marie", RowAssert.Value(e.After, "first_name"));
    }

    [Theory]
    [InlineData("delete.schema.json")]
    [InlineData("delete.noschema.json")]
    public void Decode_DeleteThenTombstone_BeforeOnlyThenNullEvent(string fixture)
    {
        var records = GoldenFixture.Load(fixture).Decode();

        var delete = records[0].Event!;
        Assert.Equal(ChangeOperation.Delete, delete.Operation);
        Assert.Null(delete.After);
        Assert.Equal("annek@noanswer.org", Text(RowAssert.Value(delete.Before, "email")));
        Assert.False(records[0].IsTombstone);
        Assert.True(records[1].IsTombstone);
        Assert.Null(records[1].Event);
        Assert.Equal(1, Int(RowAssert.Value(records[1].Key, "id")));
    }

    [Fact]
    public void Decode_PrimaryKeyChange_DeleteTombstoneCreate()
    {
        var records = GoldenFixture.Load("pk-change.schema.json").Decode();

        Assert.Equal(ChangeOperation.Delete, records[0].Event!.Operation);
        Assert.Equal(1, RowAssert.Value(records[0].Key, "id"));
        Assert.True(records[1].IsTombstone);
        Assert.Equal(1, RowAssert.Value(records[1].Key, "id"));
        Assert.Equal(ChangeOperation.Create, records[2].Event!.Operation);
        Assert.Equal(2, RowAssert.Value(records[2].Key, "id"));
        Assert.Equal(records[0].Event!.Source.ChangeVersion, records[2].Event!.Source.ChangeVersion);
    }

    [Fact]
    public void Decode_SnapshotReads_SnapshotMarkersAndVersions()
    {
        var events = GoldenFixture.Load("snapshot.schema.json").Decode().Select(r => r.Event!).ToList();

        Assert.All(events.Take(4), e => Assert.Equal(ChangeOperation.Read, e.Operation));
        Assert.Equal(["first", "true", "last", "incremental", "false"], events.Select(e => e.Source.Snapshot));
        Assert.Equal(new ChangeVersion(0, 23801480), events[0].Source.ChangeVersion);
        Assert.False(events[0].Source.IsIncrementalSnapshot);
        var incremental = events[3].Source;
        Assert.True(incremental.IsIncrementalSnapshot);
        Assert.Null(incremental.TxId);
        Assert.Null(incremental.Lsn);
        Assert.Null(incremental.Xmin);
        // The sequence still carries the streaming position (SourceInfo.sequence() is not nulled).
        Assert.Equal(new ChangeVersion(24030000, 24030456), incremental.ChangeVersion);
        Assert.Equal(ChangeOperation.Create, events[4].Operation);
    }

    [Fact]
    public void Decode_Truncate_NullKeyAndNoRows()
    {
        var record = GoldenFixture.Load("truncate.schema.json").Decode()[0];

        Assert.Null(record.Key);
        Assert.Equal(ChangeOperation.Truncate, record.Event!.Operation);
        Assert.Null(record.Event.Before);
        Assert.Null(record.Event.After);
        Assert.Equal("customers", record.Event.Source.Table);
    }

    [Fact]
    public void Decode_LogicalMessage_PrefixAndContent()
    {
        var records = GoldenFixture.Load("message.schema.json").Decode();

        var m = records[0].Event!;
        Assert.Equal(ChangeOperation.Message, m.Operation);
        Assert.Equal("foo", RowAssert.Value(records[0].Key, "prefix"));
        Assert.Equal("foo", m.Message!.Prefix);
        Assert.Equal("bar"u8.ToArray(), m.Message.Content);
        Assert.Equal("", m.Source.Table);
        Assert.Equal(556L, m.Source.TxId);
        Assert.Null(records[1].Event!.Source.TxId);
        Assert.Equal(new ChangeVersion(46523000, 46523200), records[1].Event!.Source.ChangeVersion);
    }

    [Fact]
    public void Decode_NullKeyAndNullValue_IsTombstoneWithoutKey()
    {
        var record = new DebeziumJsonDecoder().Decode("t", null, null);

        Assert.Null(record.Key);
        Assert.True(record.IsTombstone);
    }

    [Fact]
    public void Decode_EnvelopeWithNullPayload_IsTombstone()
    {
        var record = new DebeziumJsonDecoder().Decode("t", Utf8("{\"schema\":null,\"payload\":null}"), Utf8("{\"payload\":null,\"schema\":null}"));

        Assert.Null(record.Key);
        Assert.True(record.IsTombstone);
    }

    [Fact]
    public void Decode_BarePayloadWithSchemaAndPayloadColumns_IsNotAnEnvelope()
    {
        // A key whose columns happen to be named schema and payload: "schema" is a string, so not an envelope.
        var record = new DebeziumJsonDecoder().Decode("t", Utf8("{\"schema\":\"public\",\"payload\":\"x\"}"), null);

        Assert.Equal("public", Text(RowAssert.Value(record.Key, "schema")));
        Assert.Equal("x", Text(RowAssert.Value(record.Key, "payload")));
    }

    [Fact]
    public void Decode_ExtraUnknownFields_AreIgnored()
    {
        const string value = """
            {"before":null,"after":{"id":1},"source":{"version":"9","connector":"postgresql","future":[1,{"x":2}],"lsn":5},
             "op":"c","ts_ms":1,"ts_ps":3,"extra":{"a":null}}
            """;

        var e = new DebeziumJsonDecoder().Decode("t", null, Utf8(value)).Event!;

        Assert.Equal(ChangeOperation.Create, e.Operation);
        Assert.Equal(new ChangeVersion(0, 5), e.Source.ChangeVersion);
        Assert.Equal("false", e.Source.Snapshot);
    }

    [Fact]
    public void Decode_SnapshotAsBoolean_ReadAsString()
    {
        var e = new DebeziumJsonDecoder().Decode("t", null, Utf8("""{"after":{"id":1},"source":{"snapshot":true},"op":"r"}""")).Event!;

        Assert.Equal("true", e.Source.Snapshot);
        Assert.Null(e.Source.ChangeVersion);
    }

    [Fact]
    public void Decode_TransactionWithStringNumbers_AsInTheDocsExample()
    {
        const string value = """
            {"before":null,"after":{"pk":"2","aa":"1"},"source":{},"op":"c","ts_ms":"1580390884335",
             "transaction":{"id":"571:53195832","total_order":"1","data_collection_order":"1"}}
            """;

        var e = new DebeziumJsonDecoder().Decode("t", null, Utf8(value)).Event!;

        Assert.Equal(1580390884335L, e.TsMs);
        Assert.Equal(new TransactionBlock("571:53195832", 1, 1), e.Transaction);
    }

    [Fact]
    public void Decode_SameSchemaTwice_ParsesItOnce()
    {
        var decoder = new DebeziumJsonDecoder();
        var fixture = GoldenFixture.Load("snapshot.schema.json");

        var first = fixture.Decode(decoder);
        Assert.Equal(2, decoder.CachedSchemaCount);
        fixture.Decode(decoder);

        Assert.Equal(2, decoder.CachedSchemaCount);
        Assert.Same(first[0].Event!.After![0].Schema, first[4].Event!.After![0].Schema);
    }

    [Fact]
    public void Decode_MoreSchemasThanCapacity_StaysBounded()
    {
        var decoder = new DebeziumJsonDecoder(new DebeziumJsonDecoderOptions { SchemaCacheCapacity = 3 });

        for (var i = 0; i < 10; i++)
        {
            var key = Utf8("{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"c" + i +
                "\"}],\"optional\":false},\"payload\":{\"c" + i + "\":" + i + "}}");
            var record = decoder.Decode("t", key, null);
            Assert.Equal(i, RowAssert.Value(record.Key, "c" + i));
        }

        Assert.InRange(decoder.CachedSchemaCount, 1, 3);
    }

    [Fact]
    public void Decode_InterleavedTables_UseTheRightSchema()
    {
        var decoder = new DebeziumJsonDecoder();
        var customers = GoldenFixture.Load("create.schema.json");
        var documents = GoldenFixture.Load("toast.schema.json");

        for (var i = 0; i < 3; i++)
        {
            var c = decoder.Decode(customers.Topic, customers.Records[0].Key, customers.Records[0].Value);
            var d = decoder.Decode(documents.Topic, documents.Records[1].Key, documents.Records[1].Value);
            Assert.Equal("Anne", RowAssert.Value(c.Event!.After, "first_name"));
            Assert.Equal("short", RowAssert.Value(d.Event!.After, "body"));
        }
    }

    [Fact]
    public void Decode_PrettyPrintedEnvelope_SameAsCompact()
    {
        var fixture = GoldenFixture.Load("update-full.schema.json");
        var compact = fixture.Records[0];
        using var document = JsonDocument.Parse(compact.Value);
        var pretty = JsonSerializer.SerializeToUtf8Bytes(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        var decoder = new DebeziumJsonDecoder();

        var a = decoder.Decode(fixture.Topic, compact.Key, compact.Value).Event!;
        var b = decoder.Decode(fixture.Topic, compact.Key, pretty).Event!;

        Assert.Equal(a.After!.Select(c => c.Value), b.After!.Select(c => c.Value));
        Assert.Equal(a.Source, b.Source);
        // The cache keys on exact schema bytes: the indented schema text is a second entry.
        Assert.Equal(3, decoder.CachedSchemaCount);
    }

    [Fact]
    public void Decode_KnownSchemaFollowedByMoreThanPayload_Throws()
    {
        var fixture = GoldenFixture.Load("update-full.schema.json");
        var record = fixture.Records[0];
        var decoder = new DebeziumJsonDecoder();
        decoder.Decode(fixture.Topic, record.Key, record.Value);
        var text = Encoding.UTF8.GetString(record.Value!);
        var extra = Utf8(text[..^1] + ",\"x\":1}");

        var error = Assert.Throws<EventDecodeException>(() => decoder.Decode(fixture.Topic, record.Key, extra));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ManyThreadsInterleavingTables_EveryRecordCorrect()
    {
        var decoder = new DebeziumJsonDecoder(new DebeziumJsonDecoderOptions { SchemaCacheCapacity = 4 });
        var fixtures = GoldenFixture.AllNames().Select(GoldenFixture.Load).ToList();
        var expected = fixtures.Select(f => f.Decode()).ToList();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var f = i % fixtures.Count;
            var r = i / fixtures.Count % fixtures[f].Records.Count;
            var record = fixtures[f].Records[r];
            var actual = decoder.Decode(fixtures[f].Topic, record.Key, record.Value);
            var wanted = expected[f][r];
            Assert.Equal(wanted.IsTombstone, actual.IsTombstone);
            Assert.Equal(wanted.Event?.Source, actual.Event?.Source);
            Assert.Equal(wanted.Key?.Select(c => c.Name), actual.Key?.Select(c => c.Name));
            Assert.Equal(wanted.Event?.After?.Count, actual.Event?.After?.Count);
        });
    }

    [Theory]
    [InlineData("{\"after\":{\"id\":1},\"source\":{}}", "value: op: missing the operation code")]
    [InlineData("{\"after\":{\"id\":1},\"source\":{},\"op\":\"x\"}", "unknown op \"x\"")]
    [InlineData("{\"after\":{\"id\":1},\"op\":\"c\"}", "source: missing the source block")]
    [InlineData("{\"source\":{},\"op\":\"c\"}", "after: missing the row image of an op 'c' event")]
    [InlineData("{\"source\":{},\"op\":\"m\"}", "message: missing the message block")]
    [InlineData("{\"source\":{\"lsn\":\"abc\"},\"op\":\"t\"}", "source.lsn: expected an int64, got a string")]
    [InlineData("{\"source\":{\"sequence\":\"[1,2,3]\"},\"op\":\"t\"}", "more than two elements")]
    [InlineData("{\"source\":{},\"op\":\"t\",\"transaction\":{\"id\":\"1\"}}", "transaction.total_order: missing an int64")]
    [InlineData("[1,2]", "expected the envelope object, got an array")]
    [InlineData("{\"op\":\"c\"", "value is not valid JSON")]
    [InlineData("{\"op\":\"c\"} trailing", "value is not valid JSON")]
    public void Decode_MalformedValue_ThrowsWithUsefulMessage(string value, string expected)
    {
        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode("topic1", null, Utf8(value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("topic1: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WrongValueForSchema_MessageNamesTheField()
    {
        var fixture = GoldenFixture.Load("create.schema.json");
        var value = Encoding.UTF8.GetString(fixture.Records[0].Value!).Replace("\"first_name\":\"Anne\"", "\"first_name\":42", StringComparison.Ordinal);

        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode(fixture.Topic, null, Utf8(value)));

        Assert.Equal("dbserver1.public.customers: value: after.first_name: expected a string for string, got a number", error.Message);
    }

    [Fact]
    public void Decode_RequiredFieldNull_Throws()
    {
        var fixture = GoldenFixture.Load("create.schema.json");
        var value = Encoding.UTF8.GetString(fixture.Records[0].Value!).Replace("\"email\":\"annek@noanswer.org\"", "\"email\":null", StringComparison.Ordinal);

        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode(fixture.Topic, null, Utf8(value)));

        Assert.Contains("after.email: null for a required string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_KeyNotAnObject_Throws()
    {
        var error = Assert.Throws<EventDecodeException>(() => new DebeziumJsonDecoder().Decode("t", Utf8("42"), null));

        Assert.Equal("t: key: expected an object, got a number", error.Message);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(object? value) => value is JsonElement e ? e.GetString() : (string?)value;

    private static int Int(object? value) => value is JsonElement e ? e.GetInt32() : (int)value!;

    private static ConnectSchema Struct(params (string Name, string PgType)[] columns) =>
        new()
        {
            Type = ConnectType.Struct,
            Fields = columns.Select(c => new ConnectField(c.Name, PostgresTypeMapping.SchemaFor(c.PgType, ValueHandling.DebeziumDefaults))).ToList(),
        };
}
