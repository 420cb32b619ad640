using Cdc.Schemas;
using Cdc.Schemas.Model;

namespace Cdc.Sink.Tests.Support;

/// <summary>A decoder that fails every record with the given exception.</summary>
internal sealed class ThrowingDecoder(Exception error) : IChangeEventDecoder
{
    public ValueTask PrepareAsync(IEnumerable<byte[]?> payloads, CancellationToken cancellationToken = default) =>
        error is TransientDecodeException ? throw error : default;

    public ChangeRecord Decode(string topic, byte[]? key, byte[]? value) => throw error;

    public RowImage DecodeStruct(string topic, byte[] value) => throw error;
}
