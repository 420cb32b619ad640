using Cdc.Schemas;

namespace Cdc.Sink.Planning;

/// <summary>
/// Decodes records, turning every decoding problem into a <see cref="RecordFailure"/> (poison), except a
/// <see cref="TransientDecodeException"/> (the Schema Registry is unreachable): that one propagates, so the worker
/// retries the batch with its partitions paused, as for a store outage, and never dead-letters the record.
/// </summary>
internal sealed class RecordDecoder(IChangeEventDecoder decoder, int maxRecordBytes)
{
    /// <summary>Fetches what the batch's records need (Avro writer schemas): once per batch, never per record.</summary>
    /// <exception cref="TransientDecodeException">The Schema Registry is unreachable.</exception>
    public ValueTask PrepareAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        decoder.PrepareAsync(Payloads(records), cancellationToken);

    private IEnumerable<byte[]?> Payloads(IReadOnlyList<SinkRecord> records)
    {
        foreach (var record in records)
        {
            if ((record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) <= maxRecordBytes)
            {
                yield return record.Key;
                yield return record.Value;
            }
        }
    }

    public DecodedRecord Decode(SinkRecord record)
    {
        var size = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
        if (size > maxRecordBytes)
        {
            return Failed(record, new EventDecodeException($"record of {size} bytes is larger than MaxRecordBytes ({maxRecordBytes})"));
        }

        try
        {
            return new DecodedRecord(record, decoder.Decode(record.Topic, record.Key, record.Value), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not TransientDecodeException)
        {
            // A decoder bug is as poisonous as a bad record: park it with its reason, never stall the partition.
            return Failed(record, e);
        }
    }

    private DecodedRecord Failed(SinkRecord record, Exception error) =>
        new(record, null, new RecordFailure(record, FailureStage.ValueConverter, error) { Transaction = FailedEventAttribution.Of(decoder, record) });
}
