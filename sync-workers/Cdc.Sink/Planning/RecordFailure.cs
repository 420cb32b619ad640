namespace Cdc.Sink.Planning;

/// <summary>A record that cannot be applied (never transient): it goes to the dead-letter topic.</summary>
internal sealed record RecordFailure(SinkRecord Record, FailureStage Stage, Exception Error);
