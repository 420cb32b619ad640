using Cdc.Sink.Configuration;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Support;

/// <summary>A <c>cdc sink</c> child process (<see cref="CliProcess"/>), so tests can kill it for real (SIGKILL) or stop it with SIGTERM.</summary>
internal static class WorkerProcess
{
    public static CliProcess Start(SinkOptions options) =>
        Start(
            [
                "--bootstrap-servers", options.Kafka.BootstrapServers!,
                "--group", options.Kafka.GroupId,
                "--topics", string.Join(',', options.Kafka.Topics),
                "--store", options.Store!,
                "--batch-size", "2000",
            ],
            new Dictionary<string, string>());

    /// <summary><c>cdc sink</c> with these flags and <c>CDC_*</c> environment variables.</summary>
    public static CliProcess Start(IEnumerable<string> sinkArgs, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>();
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return CliProcess.Start(["sink", .. sinkArgs], variables);
    }
}
