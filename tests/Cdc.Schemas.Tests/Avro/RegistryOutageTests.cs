using Cdc.Registry;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>The registry goes away: ids seen before keep decoding; an unseen id fails transiently, never as poison.</summary>
public sealed class RegistryOutageTests : IAsyncLifetime
{
    private EmbeddedSchemaRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await EmbeddedSchemaRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Decode_DuringOutage_CachedIdsWorkUnknownIdsAreTransientUntilTheRegistryIsBack()
    {
        using var producerClient = new ConfluentSchemaRegistry(_registry.Url);
        var encoder = new DebeziumAvroEncoder(producerClient);
        var seen = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: false), OrdersAvro.Upsert(1, "new", 1));
        var unseen = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: true), OrdersAvro.Upsert(2, "new", 1, "n", withNote: true));
        using var sinkClient = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, [SchemaRegistrySettings.MaxRetries] = "1", [SchemaRegistrySettings.RetriesWaitMs] = "1" });
        var decoder = new DebeziumAvroDecoder(sinkClient);
        await decoder.DecodeAsync(OrdersAvro.Topic, seen.Key, seen.Value);

        await _registry.StopAsync();
        var requestsBefore = _registry.RequestCount;

        var cached = await decoder.DecodeAsync(OrdersAvro.Topic, seen.Key, seen.Value);
        var error = await Assert.ThrowsAsync<TransientDecodeException>(() => decoder.DecodeAsync(OrdersAvro.Topic, unseen.Key, unseen.Value));

        Assert.Equal("new", RowAssert.Value(cached.Event!.After, "status"));
        Assert.Equal(requestsBefore, _registry.RequestCount);
        Assert.IsType<SchemaRegistryUnavailableException>(error.InnerException);
        Assert.Contains("could not be fetched", error.Message, StringComparison.Ordinal);

        await _registry.RestartAsync();

        var recovered = await decoder.DecodeAsync(OrdersAvro.Topic, unseen.Key, unseen.Value);
        Assert.Equal("n", RowAssert.Value(recovered.Event!.After, "note"));
    }

    [Fact]
    public async Task Decode_RegistryAnswers5xx_Transient()
    {
        using var producerClient = new ConfluentSchemaRegistry(_registry.Url);
        var record = await new DebeziumAvroEncoder(producerClient).EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(false), OrdersAvro.Upsert(1, "a", 1));
        _registry.FailNext(100);
        using var sinkClient = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, [SchemaRegistrySettings.MaxRetries] = "1", [SchemaRegistrySettings.RetriesWaitMs] = "1" });

        await Assert.ThrowsAsync<TransientDecodeException>(() => new DebeziumAvroDecoder(sinkClient).DecodeAsync(OrdersAvro.Topic, record.Key, record.Value));
    }

    [Fact]
    public async Task Decode_IdTheRegistryDoesNotKnow_PoisonNotTransient()
    {
        using var client = new ConfluentSchemaRegistry(_registry.Url);
        var decoder = new DebeziumAvroDecoder(client);

        var error = await Assert.ThrowsAsync<EventDecodeException>(() => decoder.DecodeAsync(OrdersAvro.Topic, null, Convert.FromHexString("000000002A00")));

        Assert.Contains("schema id 42 is not in the Schema Registry", error.Message, StringComparison.Ordinal);
    }
}
