using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Model;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

public sealed class DebeziumAvroDecoderTests : IAsyncLifetime
{
    private EmbeddedSchemaRegistry _registry = null!;
    private ConfluentSchemaRegistry _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedSchemaRegistry.StartAsync();
        _client = new ConfluentSchemaRegistry(_registry.Url);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Decode_Tombstone_KeyAndNullEvent()
    {
        var (key, _) = await Encode(OrdersAvro.Upsert(7, "x", 1));

        var record = await CreateSut().DecodeAsync(OrdersAvro.Topic, key, null);

        Assert.True(record.IsTombstone);
        Assert.Equal(7L, RowAssert.Value(record.Key, "id"));
    }

    [Fact]
    public async Task Decode_Create_SourceAndVersion()
    {
        var (key, value) = await Encode(OrdersAvro.Upsert(7, "paid", 3, lsn: 500));

        var change = (await CreateSut().DecodeAsync(OrdersAvro.Topic, key, value)).Event!;

        Assert.Equal(ChangeOperation.Create, change.Operation);
        Assert.Equal(new ChangeVersion(490, 500), change.Source.ChangeVersion);
        Assert.Equal("false", change.Source.Snapshot);
        Assert.Equal("orders", change.Source.Table);
        Assert.Equal(1_700_000_000_100, change.TsMs);
        Assert.Equal(3, RowAssert.Value(change.After, "qty"));
    }

    [Fact]
    public async Task Decode_SameIdTwice_OneRegistryCall()
    {
        var (key, value) = await Encode(OrdersAvro.Upsert(1, "a", 1));
        using var client = new ConfluentSchemaRegistry(_registry.Url);
        var decoder = new DebeziumAvroDecoder(client);
        var before = _registry.RequestCount;

        await decoder.DecodeAsync(OrdersAvro.Topic, key, value);
        await decoder.DecodeAsync(OrdersAvro.Topic, key, value);

        Assert.Equal(before + 2, _registry.RequestCount); // one GET for the key schema, one for the value schema
    }

    [Fact]
    public async Task Decode_JsonBytes_WrongMagicByteNamesTopicAndPart()
    {
        var error = await Assert.ThrowsAsync<EventDecodeException>(() => CreateSut().DecodeAsync("t", "{\"id\":1}"u8.ToArray(), null));

        Assert.StartsWith("t: key: not in Confluent wire format: magic byte is 0x7b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_TruncatedBody_DecodeException()
    {
        var (key, value) = await Encode(OrdersAvro.Upsert(1, "a", 1));

        var error = await Assert.ThrowsAsync<EventDecodeException>(() => CreateSut().DecodeAsync(OrdersAvro.Topic, key, value![..^6]));

        Assert.StartsWith($"{OrdersAvro.Topic}: value: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_TrailingBytes_DecodeException()
    {
        var (key, value) = await Encode(OrdersAvro.Upsert(1, "a", 1));

        var error = await Assert.ThrowsAsync<EventDecodeException>(() => CreateSut().DecodeAsync(OrdersAvro.Topic, key, [.. value!, 0]));

        Assert.Contains("1 byte(s) left after the Avro datum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_ValueSchemaNotARecord_DecodeException()
    {
        var id = _registry.Register("t-value", "\"string\"");
        var (key, _) = await Encode(OrdersAvro.Upsert(1, "a", 1));

        var error = await Assert.ThrowsAsync<EventDecodeException>(() => CreateSut().DecodeAsync("t", key, ConfluentWireFormat.Frame(id, [0x02, 0x61])));

        Assert.Contains("not an Envelope record", error.Message, StringComparison.Ordinal);
    }

    private DebeziumAvroDecoder CreateSut() => new(_client);

    private Task<(byte[]? Key, byte[]? Value)> Encode(ChangeRecord record) =>
        new DebeziumAvroEncoder(_client).EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: false), record);
}
