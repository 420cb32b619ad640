namespace Cdc.Store.Failures;

public enum FailureKind
{
    /// <summary>The store is unreachable, restarting, overloaded or in a serialization conflict: retry.</summary>
    Transient,
    /// <summary>Some row's data is wrong for the table (bad value, constraint): isolate it and dead-letter it.</summary>
    Data,
    /// <summary>The store is misconfigured for every row (permissions, missing database): pause and retry, never dead-letter.</summary>
    Store,
}
