namespace Cdc.Schemas;

/// <summary>
/// A record that cannot be decoded <em>yet</em>: something the decoder depends on (the Schema Registry) is
/// unreachable. The record itself may be fine, so it must never be dead-lettered or skipped: retry it, pausing
/// the partition, until the dependency is back.
/// </summary>
public sealed class TransientDecodeException : Exception
{
    public TransientDecodeException(string message)
        : base(message)
    {
    }

    public TransientDecodeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TransientDecodeException()
    {
    }
}
