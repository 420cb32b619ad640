using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Avro;

/// <summary>The registry goes away: ids seen before keep decoding; an unseen id fails transiently, never as poison.</summary>
public sealed class RegistryOutageTests : IAsyncLifetime
{
    private SchemaRegistryTestDouble _registry = null!;

    public async Task InitializeAsync() => _registry = await SchemaRegistryTestDouble.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Decode_DuringOutage_CachedIdsWorkUnknownIdsAreTransientUntilTheRegistryIsBack()
    {
        using var producerClient = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url });
        var encoder = new DebeziumAvroEncoder(producerClient);
        var seen = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: false), OrdersAvro.Upsert(1, "new", 1));
        var unseen = await encoder.EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(withNote: true), OrdersAvro.Upsert(2, "new", 1, "n", withNote: true));
        using var sinkClient = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        var decoder = new DebeziumAvroDecoder(sinkClient);
        decoder.Decode(OrdersAvro.Topic, seen.Key, seen.Value);

        await _registry.StopAsync();
        var requestsBefore = _registry.RequestCount;

        var cached = decoder.Decode(OrdersAvro.Topic, seen.Key, seen.Value);
        var error = Assert.Throws<TransientDecodeException>(() => decoder.Decode(OrdersAvro.Topic, unseen.Key, unseen.Value));

        Assert.Equal("new", RowAssert.Value(cached.Event!.After, "status"));
        Assert.Equal(requestsBefore, _registry.RequestCount);
        Assert.IsType<SchemaRegistryUnavailableException>(error.InnerException);
        Assert.Contains("could not be fetched", error.Message, StringComparison.Ordinal);

        await _registry.RestartAsync();

        var recovered = decoder.Decode(OrdersAvro.Topic, unseen.Key, unseen.Value);
        Assert.Equal("n", RowAssert.Value(recovered.Event!.After, "note"));
    }

    [Fact]
    public async Task Decode_RegistryAnswers5xx_Transient()
    {
        using var producerClient = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url });
        var record = await new DebeziumAvroEncoder(producerClient).EncodeAsync(OrdersAvro.Topic, OrdersAvro.Key, OrdersAvro.Envelope(false), OrdersAvro.Upsert(1, "a", 1));
        _registry.FailNext(100);
        using var sinkClient = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        Assert.Throws<TransientDecodeException>(() => new DebeziumAvroDecoder(sinkClient).Decode(OrdersAvro.Topic, record.Key, record.Value));
    }

    [Fact]
    public void Decode_IdTheRegistryDoesNotKnow_PoisonNotTransient()
    {
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url });
        var decoder = new DebeziumAvroDecoder(client);

        var error = Assert.Throws<EventDecodeException>(() => decoder.Decode(OrdersAvro.Topic, null, Convert.FromHexString("000000002A00")));

        Assert.Contains("schema id 42 is not in the Schema Registry", error.Message, StringComparison.Ordinal);
    }
}
