namespace Cdc.Store.Writes;

/// <summary>
/// The rows a <see cref="GuardedWrite"/> statement writes, as a FROM item aliased <c>s</c> with the target's column
/// names plus <c>_cdc_key</c> (the row's identity in the tombstones), <c>_cdc_commit_lsn</c> and <c>_cdc_event_lsn</c>.
/// </summary>
/// <param name="From">E.g. <c>pg_temp."cdc_stage_0" s</c>, or <c>(VALUES (...)) AS s (...)</c>.</param>
/// <param name="Where">Which of its rows, e.g. <c>s._cdc_shape = 2</c>; <c>true</c> for all.</param>
public sealed record WriteSource(string From, string Where);
