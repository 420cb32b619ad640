namespace Cdc.Store.Mapping;

public enum TruncateMode
{
    /// <summary>Remove every row older than the truncate (newer rows survive a re-delivered truncate).</summary>
    Apply,
    /// <summary>Skip truncate events.</summary>
    Ignore,
}
