namespace Cdc.Schemas;

/// <summary>A record that cannot be decoded. Never transient: the sink dead-letters it with this message.</summary>
public sealed class EventDecodeException : Exception
{
    public EventDecodeException(string message)
        : base(message)
    {
    }

    public EventDecodeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public EventDecodeException()
    {
    }
}
