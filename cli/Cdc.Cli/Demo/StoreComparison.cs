namespace Cdc.Cli.Demo;

/// <summary>
/// One store compared row for row with the primary's final state, through the subsystem's mapping.
/// <paramref name="Live"/> and <paramref name="SoftDeleted"/> are the store's rows; <paramref name="Matching"/> of
/// them equal what the primary holds (live rows) or has deleted (soft-deleted rows); <paramref name="Missing"/>
/// rows the store should have and lacks, <paramref name="Extra"/> rows it should not have (including deleted orders
/// a hard-deleting store still holds), <paramref name="Different"/> rows whose values differ.
/// </summary>
internal sealed record StoreComparison(long Live, long SoftDeleted, long Matching, long Missing, long Extra, long Different)
{
    public bool Equal => Missing == 0 && Extra == 0 && Different == 0;

    public string Summary => Equal ? "yes" : $"no ({Missing:#,0} missing, {Extra:#,0} extra, {Different:#,0} different)";
}
