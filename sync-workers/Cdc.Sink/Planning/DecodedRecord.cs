using Cdc.Schemas.Model;

namespace Cdc.Sink.Planning;

/// <summary>A record with its decoded change, or the reason it could not be decoded.</summary>
internal sealed record DecodedRecord(SinkRecord Record, ChangeRecord? Change, RecordFailure? Failure);
