using System.Net;
using System.Text.Json;
using Cdc.DevKit.Kafka;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.DevKit.Tests.Kafka;

public sealed class KafkaHostCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_Started_FirstLineIsBootstrapAndControlEndpointManagesCluster()
    {
        var stdout = new LineCapture();
        var stderr = new LineCapture();
        using var stop = new CancellationTokenSource();
        var run = KafkaHostCommand.RunAsync(["--brokers", "2", "--topics", "pre.made", "--partitions", "12"], stdout, stderr, stop.Token);

        var bootstrap = await stdout.ReadLineAsync(Timeout);
        var control = await stdout.ReadLineAsync(Timeout);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var premade = admin.GetMetadata("pre.made", Timeout).Topics.Single();
        using var http = new HttpClient { BaseAddress = new Uri(control["control: ".Length..]) };
        using var created = await http.PostAsync(new Uri("/topics?name=made.later&partitions=40", UriKind.Relative), null);
        using var duplicate = await http.PostAsync(new Uri("/topics?name=made.later", UriKind.Relative), null);
        using var down = await http.PostAsync(new Uri("/brokers/2/down", UriKind.Relative), null);
        using var unknown = await http.PostAsync(new Uri("/brokers/3/up", UriKind.Relative), null);
        using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        var later = admin.GetMetadata("made.later", Timeout).Topics.Single();
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(Timeout);

        Assert.Matches(@"^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", bootstrap);
        Assert.Matches(@"^control: http://127\.0\.0\.1:\d+$", control);
        Assert.Equal(12, premade.Partitions.Count);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(40, later.Partitions.Count);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(bootstrap, state.RootElement.GetProperty("bootstrapServers").GetString());
        Assert.Equal([true, false], state.RootElement.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("isUp").GetBoolean()));
        Assert.Equal(["made.later", "pre.made"], state.RootElement.GetProperty("topics").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(0, exitCode);
        Assert.Empty(stdout.Drain());
        Assert.Empty(stderr.Drain());
    }

    [Fact]
    public async Task RunAsync_UnknownFlag_ExitCode2AndOneErrorLine()
    {
        var stdout = new LineCapture();
        var stderr = new LineCapture();

        var exitCode = await KafkaHostCommand.RunAsync(["--brokers", "2", "--nope"], stdout, stderr);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout.Drain());
        var line = Assert.Single(stderr.Drain());
        Assert.StartsWith("cdc kafka: unknown option '--nope'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ControlPortTaken_ExitCode2WithOneLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var stdout = new LineCapture();
        var stderr = new LineCapture();

        var exitCode = await KafkaHostCommand.RunAsync(["--brokers", "1", "--control-port", $"{port}"], stdout, stderr).WaitAsync(Timeout);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Drain());
        Assert.StartsWith($"cdc kafka: cannot listen on 127.0.0.1:{port}: the port is already in use", line, StringComparison.Ordinal);
    }
}
