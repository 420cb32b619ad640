namespace Cdc.Reconciler;

/// <summary>The snake_case names states and kinds have in the audit tables, JSON and metrics.</summary>
internal static class Names
{
    public static string Of(RunState state) => state switch
    {
        RunState.PartialFailure => "partial_failure",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Of(DriftKind kind) => kind.ToString().ToLowerInvariant();

    public static string Of(RepairMode mode) => mode.ToString().ToLowerInvariant();
}
