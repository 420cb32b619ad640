namespace Cdc.Dev.Chaos;

/// <summary>
/// One injected fault of a chaos run: its kind, what it did (and its heal), the stream's recovery time after it and the
/// time until every store had caught up on every partition (<see cref="RecoveryProbe"/>).
/// </summary>
internal sealed record FaultRecord(string Kind, FaultOutcome Outcome, double Seconds, double CaughtUpSeconds);
