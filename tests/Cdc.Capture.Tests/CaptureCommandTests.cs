using Cdc.Capture.Configuration;
using Cdc.Common.Configuration;
using Cdc.DevKit;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class CaptureCommandTests
{
    private static readonly string[] Valid = ["--source", "Host=127.0.0.1;Database=shop;Username=cdc", "--bootstrap-servers", "127.0.0.1:9092"];

    [Fact]
    public async Task Unknown_flag_is_a_configuration_error()
    {
        Assert.Equal(2, await CaptureHost.RunAsync(["--no-such-flag", "x"], CancellationToken.None));
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        Assert.Equal(0, await CaptureHost.RunAsync(["--help"], CancellationToken.None));
        Assert.Contains("--signal-table", CaptureHost.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no source", new[] { "--bootstrap-servers", "k:9092" })]
    [InlineData("source without database", new[] { "--source", "Host=h", "--bootstrap-servers", "k:9092" })]
    [InlineData("no Kafka", new[] { "--source", "Host=h;Database=d" })]
    [InlineData("bad table", new[] { "--source", "Host=h;Database=d", "--bootstrap-servers", "k:9092", "--tables", "orders" })]
    [InlineData("bad slot", new[] { "--source", "Host=h;Database=d", "--bootstrap-servers", "k:9092", "--slot", "My-Slot" })]
    [InlineData("bad format", new[] { "--source", "Host=h;Database=d", "--bootstrap-servers", "k:9092", "--format", "xml" })]
    [InlineData("avro without registry", new[] { "--source", "Host=h;Database=d", "--bootstrap-servers", "k:9092", "--format", "avro" })]
    public async Task Bad_configuration_exits_2_with_one_line(string why, string[] args)
    {
        var error = Assert.Throws<ConfigurationError>(() => CaptureConfiguration.Load(args));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(2, await CaptureHost.RunAsync(args, CancellationToken.None));
        _ = why;
    }

    [Fact]
    public void Flags_environment_and_defaults_bind_to_the_options()
    {
        Environment.SetEnvironmentVariable("CDC_TopicPrefix", "fromenv");
        try
        {
            var options = CaptureConfiguration.Load([.. Valid, "--tables", "public.orders, sales.items", "--slot", "s1", "--publication", "p1", "--metrics-port", "9464"]);
            Assert.Equal(["public.orders", "sales.items"], options.Tables);
            Assert.Equal("fromenv", options.TopicPrefix);
            Assert.Equal("s1", options.Slot);
            Assert.Equal("p1", options.Publication);
            Assert.Equal(9464, options.MetricsPort);
            Assert.Equal("public.debezium_signal", options.SignalTable);
            Assert.Equal("__debezium-heartbeat.fromenv", options.HeartbeatTopic);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CDC_TopicPrefix", null);
        }
    }

    [Fact]
    public void The_cli_usage_is_reachable()
    {
        Assert.True(File.Exists(BuiltCommands.ProductDll));
    }
}
