using Cdc.Schemas.Model;

namespace Cdc.Sink.Planning;

/// <summary>A record with its decoded change, or the reason it could not be decoded.</summary>
public sealed record DecodedRecord(SinkRecord Record, ChangeRecord? Change, RecordFailure? Failure);
