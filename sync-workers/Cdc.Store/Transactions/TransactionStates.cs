namespace Cdc.Store.Transactions;

/// <summary>The states of a source transaction in one subsystem (README "Transactions").</summary>
public static class TransactionStates
{
    /// <summary>Committed on the primary, nothing of it applied here yet.</summary>
    public const string Pending = "PENDING";

    /// <summary>Some of its events for this subsystem applied (n of m).</summary>
    public const string Processing = "PROCESSING";

    /// <summary>All m applied.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>All m finished with, some dead-lettered (their keys are listed).</summary>
    public const string PartialFailure = "PARTIAL_FAILURE";

    public static bool IsTerminal(string state) => state is Completed or PartialFailure;
}
