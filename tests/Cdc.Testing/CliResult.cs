namespace Cdc.Testing;

/// <summary>How a <c>cdc</c> process ended: its exit code and what it wrote to stdout and to stderr.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for failure messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
}
