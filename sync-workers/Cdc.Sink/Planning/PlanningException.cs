namespace Cdc.Sink.Planning;

/// <summary>An event that decodes but cannot be applied to its target table as configured (never transient).</summary>
internal sealed class PlanningException : Exception
{
    public PlanningException(string message)
        : base(message)
    {
    }

    public PlanningException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PlanningException()
    {
    }
}
