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
        // A killed member holds its partitions until its session expires: keep that short (and configure it the way
        // an operator would, through the environment).
        var variables = new Dictionary<string, string>
        {
            ["CDC_Kafka__Consumer__session.timeout.ms"] = "6000",
            ["CDC_Kafka__Consumer__heartbeat.interval.ms"] = "500",
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return CliProcess.Start(["sink", .. sinkArgs], variables);
    }
}
