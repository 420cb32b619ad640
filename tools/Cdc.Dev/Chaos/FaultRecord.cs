namespace Cdc.Dev.Chaos;

/// <summary>One injected fault of a chaos run: its kind, what it did (and its heal), and the stream's recovery time after it.</summary>
internal sealed record FaultRecord(string Kind, FaultOutcome Outcome, double Seconds);
