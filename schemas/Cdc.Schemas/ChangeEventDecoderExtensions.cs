using Cdc.Schemas.Model;

namespace Cdc.Schemas;

public static class ChangeEventDecoderExtensions
{
    /// <summary><see cref="IChangeEventDecoder.PrepareAsync"/> and <see cref="IChangeEventDecoder.Decode"/> for one record
    /// (tools and tests; the sink prepares whole batches).</summary>
    public static async Task<ChangeRecord> DecodeAsync(this IChangeEventDecoder decoder, string topic, byte[]? key, byte[]? value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        await decoder.PrepareAsync([key, value], cancellationToken);
        return decoder.Decode(topic, key, value);
    }
}
