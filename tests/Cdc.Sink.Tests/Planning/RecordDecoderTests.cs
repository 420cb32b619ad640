using Cdc.Schemas;
using Cdc.Sink.Planning;
using Cdc.Sink.Tests.Support;

namespace Cdc.Sink.Tests.Planning;

public sealed class RecordDecoderTests
{
    private static readonly SinkRecord Record = new("shop.public.orders", 0, 5, [1], [2], null);

    [Fact]
    public void Decode_PoisonRecord_BecomesAFailureToDeadLetter()
    {
        var decoded = new RecordDecoder(new ThrowingDecoder(new EventDecodeException("bad")), 1024).Decode(Record);

        Assert.Null(decoded.Change);
        Assert.Equal(FailureStage.ValueConverter, decoded.Failure!.Stage);
    }

    [Fact]
    public void Decode_UndecodableEventOfATransaction_IsAttributedToItWithItsKey_SoTheTransactionCountsItFailed()
    {
        var value = System.Text.Encoding.UTF8.GetString(DebeziumText.Change('c', 7, 3, "new"))
            .Replace("\"transaction\":null", "\"transaction\":{\"id\":\"571:53195832\",\"total_order\":2,\"data_collection_order\":1}", StringComparison.Ordinal)
            .Replace("\"op\":\"c\"", "\"op\":\"z\"", StringComparison.Ordinal);
        var decoder = new RecordDecoder(new Cdc.Schemas.Json.DebeziumJsonDecoder(), 1 << 20);

        var decoded = decoder.Decode(new SinkRecord("shop.public.orders", 0, 5, DebeziumText.Key(7), System.Text.Encoding.UTF8.GetBytes(value), null));

        Assert.Null(decoded.Change);
        Assert.Equal(new Cdc.Store.Transactions.TransactionEvent(571, 2, "shop.public.orders", Failed: true, Key: "id=7") { Partition = 0, Offset = 5 }, decoded.Failure!.Transaction);
        var plan = new BatchPlanner(new Cdc.Store.Mapping.TableRouter(new Cdc.Sink.Configuration.SinkOptions())).Plan([decoded], _ => null);
        Assert.Equal(decoded.Failure.Transaction, Assert.Single(plan.TransactionEvents));

        var garbage = decoder.Decode(new SinkRecord("shop.public.orders", 0, 6, DebeziumText.Key(8), [0xff, 0x00, 0x13], null));
        Assert.Null(garbage.Failure!.Transaction);
    }

    [Fact]
    public void Decode_RegistryUnreachable_PropagatesSoTheBatchIsRetriedNotDeadLettered()
    {
        var decoder = new RecordDecoder(new ThrowingDecoder(new TransientDecodeException("registry down")), 1024);

        Assert.Throws<TransientDecodeException>(() => decoder.Decode(Record));
    }
}
