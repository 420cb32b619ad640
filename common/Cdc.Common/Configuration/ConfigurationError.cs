namespace Cdc.Common.Configuration;

/// <summary>Bad configuration: the host prints the message as one line and exits with code 2.</summary>
public sealed class ConfigurationError : Exception
{
    public ConfigurationError(string message)
        : base(message)
    {
    }

    public ConfigurationError(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConfigurationError()
    {
    }
}
