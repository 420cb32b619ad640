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
    public void Decode_RegistryUnreachable_PropagatesSoTheBatchIsRetriedNotDeadLettered()
    {
        var decoder = new RecordDecoder(new ThrowingDecoder(new TransientDecodeException("registry down")), 1024);

        Assert.Throws<TransientDecodeException>(() => decoder.Decode(Record));
    }
}
