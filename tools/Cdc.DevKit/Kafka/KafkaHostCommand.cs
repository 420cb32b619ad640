using System.Net;
using System.Runtime.InteropServices;
using Cdc.Common.Configuration;
using Cdc.Common.Http;
using Cdc.DevKit.Kafka.Internal;
using Confluent.Kafka;

namespace Cdc.DevKit.Kafka;

/// <summary>
/// <c>cdc kafka</c>: hosts a <see cref="MockCluster"/> until SIGINT/SIGTERM. Prints the bootstrap servers as the
/// first stdout line, then <c>control: http://127.0.0.1:PORT</c>, the HTTP endpoint that creates topics and takes
/// brokers down or up. Exit codes: 0 after a clean stop, 2 for bad flags or a control port in use, 1 when the cluster
/// or endpoint fails.
/// </summary>
public static class KafkaHostCommand
{
    public const string Usage = """
        usage: cdc kafka [--brokers N] [--topics a,b,c] [--partitions P] [--control-port PORT] [--rebalance-delay-ms MS]
          Hosts librdkafka's in-memory mock Kafka cluster until Ctrl-C / SIGTERM (all data is lost then).
          --brokers N             brokers, ids 1..N (default 3)
          --topics a,b,c          topics to create at start (default: none; others are created on first use, 4 partitions)
          --partitions P          partitions per topic, also for POST /topics without ?partitions (default 32)
          --control-port PORT     HTTP control endpoint on 127.0.0.1 (default 0: any free port)
          --rebalance-delay-ms MS consumer groups' initial rebalance delay (default 100)
        Prints the bootstrap servers as the first line, then the control URL. Control endpoint:
          GET /                          state (JSON)
          POST /topics?name=X&partitions=P
          POST /brokers/{id}/down        POST /brokers/{id}/up
        """;

    /// <summary>Runs with the console's streams and stops on SIGINT/SIGTERM or <paramref name="cancellationToken"/>.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        KafkaHostOptions options;
        try
        {
            options = KafkaHostOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"cdc kafka: {e.Message}");
            await stderr.FlushAsync(CancellationToken.None);
            return 2;
        }

        if (options.ShowHelp)
        {
            await stdout.WriteLineAsync(Usage);
            await stdout.FlushAsync(CancellationToken.None);
            return 0;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, CancelOnSignal(stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, CancelOnSignal(stop));
        try
        {
            await HostAsync(options, stdout, stderr, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (ConfigurationError e)
        {
            await stderr.WriteLineAsync($"cdc kafka: {e.Message}");
            await stderr.FlushAsync(CancellationToken.None);
            return 2;
        }
        catch (Exception e) when (e is KafkaException or IOException or InvalidOperationException or DllNotFoundException)
        {
            await stderr.WriteLineAsync($"cdc kafka: {e.Message}");
            await stderr.FlushAsync(CancellationToken.None);
            return 1;
        }
    }

    /// <summary>Turns the signal into a clean stop instead of the runtime's default termination.</summary>
    private static Action<PosixSignalContext> CancelOnSignal(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true;
        stop.Cancel();
    };

    private static async Task HostAsync(KafkaHostOptions options, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        using var cluster = MockCluster.Create(options.Brokers, options.GroupInitialRebalanceDelay, log: message =>
        {
            if (message.Level <= SyslogLevel.Error)
            {
                stderr.WriteLine($"cdc kafka: librdkafka: {message.Message}");
            }
        });
        foreach (var topic in options.Topics)
        {
            cluster.CreateTopic(topic, options.Partitions);
        }

        await stdout.WriteLineAsync(cluster.BootstrapServers);
        await stdout.FlushAsync(CancellationToken.None);

        var (app, port) = await KestrelHost.StartAsync(
            IPAddress.Loopback, options.ControlPort, endpoints => KafkaControlEndpoints.Map(endpoints, cluster, options.Partitions), stop);
        await using (app)
        {
            await stdout.WriteLineAsync($"control: http://127.0.0.1:{port}");
            await stdout.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop: fall through to a clean shutdown.
            }

            await app.StopAsync(CancellationToken.None);
        }
    }
}
