using Cdc.Common.Configuration;
using Cdc.Sink.Configuration;
using Cdc.Store.Mapping;

namespace Cdc.Sink.Tests.Configuration;

public sealed class SinkConfigurationTests
{
    private static readonly string[] Valid = ["--bootstrap-servers", "127.0.0.1:9092", "--store", "Host=localhost;Database=risk", "--topics", "a.public.orders,a.public.items"];

    [Fact]
    public void Load_Flags_BindOptions()
    {
        var options = SinkConfiguration.Load([.. Valid, "--group", "risk", "--metrics-port", "9400"]);

        Assert.Equal(["a.public.orders", "a.public.items"], options.Kafka.Topics);
        Assert.Equal("risk", options.Kafka.GroupId);
        Assert.Equal(9400, options.MetricsPort);
        Assert.Equal("risk.dlq", options.DeadLetterTopic);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--topic-pattern", "exactly one of --topics")]
    [InlineData("--consistency", "--consistency must be event or transaction, not 'x'")]
    [InlineData("--transaction-buffer", "Transactions:MaxBufferedEvents")]
    public void Load_BadFlags_FailWithMessage(string flag, string message)
    {
        var error = Assert.Throws<ConfigurationError>(() => SinkConfiguration.Load([.. Valid, flag, "x"]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TransactionConsistency_BindsItsOptions()
    {
        var options = SinkConfiguration.Load([.. Valid, "--consistency", "transaction", "--transaction-buffer", "5000", "--transaction-wait", "00:00:10"]);

        Assert.True(options.Transactions.IsTransactional);
        Assert.Equal((5000, TimeSpan.FromSeconds(10)), (options.Transactions.MaxBufferedEvents, options.Transactions.Wait));
        Assert.False(new SinkOptions().Transactions.IsTransactional);
    }

    [Fact]
    public void Load_NoStore_SaysHowToGiveOne()
    {
        var error = Assert.Throws<ConfigurationError>(() => SinkConfiguration.Load(["--bootstrap-servers", "x:1", "--topics", "t"]));
        Assert.Contains("no store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadRegex_NamesTheOption()
    {
        var error = Assert.Throws<ConfigurationError>(() => SinkConfiguration.Load(["--bootstrap-servers", "x:1", "--store", "Host=h", "--topic-pattern", "orders(["]));
        Assert.Contains("--topic-pattern is not a valid regular expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HostileIdentifierInMapping_IsRefused()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{ "Defaults": { "Table": "this-name-is-far-too-long-for-postgresql-to-keep-without-cutting-it-short" } }""");
        try
        {
            var error = Assert.Throws<ConfigurationError>(() => SinkConfiguration.Load([.. Valid, "--config", file]));
            Assert.Contains("longer than 63 bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_ConfigFileAndEnvironment_FlagsWin()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{ "Kafka": { "GroupId": "from-file", "Consumer": { "fetch.max.bytes": "1048576" } }, "Tables": [ { "TopicPattern": ".*orders", "DeleteMode": "Soft", "Exclude": ["note"] } ] }""");
        Environment.SetEnvironmentVariable("CDC_MaxBatchSize", "777");
        try
        {
            var options = SinkConfiguration.Load([.. Valid, "--config", file, "--group", "from-flag"]);

            Assert.Equal("from-flag", options.Kafka.GroupId);
            Assert.Equal(777, options.MaxBatchSize);
            Assert.Equal("1048576", options.Kafka.Consumer["fetch.max.bytes"]);
            Assert.Equal(DeleteMode.Soft, options.Tables.Single().DeleteMode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CDC_MaxBatchSize", null);
            File.Delete(file);
        }
    }
}
