using Cdc.DevKit.Kafka;

namespace Cdc.DevKit.Tests.Kafka;

public sealed class KafkaHostOptionsTests
{
    [Fact]
    public void Parse_NoArguments_Defaults()
    {
        var options = KafkaHostOptions.Parse([]);

        Assert.Equal(3, options.Brokers);
        Assert.Empty(options.Topics);
        Assert.Equal(32, options.Partitions);
        Assert.Equal(0, options.ControlPort);
        Assert.Equal(MockCluster.DefaultGroupInitialRebalanceDelay, options.GroupInitialRebalanceDelay);
    }

    [Fact]
    public void Parse_EveryFlag_Applied()
    {
        var options = KafkaHostOptions.Parse(
            ["--brokers", "5", "--topics", "app.public.orders, app.public.items", "--partitions=64", "--control-port", "9099", "--rebalance-delay-ms", "0"]);

        Assert.Equal(5, options.Brokers);
        Assert.Equal(["app.public.orders", "app.public.items"], options.Topics);
        Assert.Equal(64, options.Partitions);
        Assert.Equal(9099, options.ControlPort);
        Assert.Equal(TimeSpan.Zero, options.GroupInitialRebalanceDelay);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--brokers", "option '--brokers' needs a value")]
    [InlineData("--brokers 0", "option '--brokers' needs a whole number from 1 to 100, not '0'")]
    [InlineData("--partitions x", "option '--partitions' needs a whole number from 1 to 100000, not 'x'")]
    [InlineData("--topics a,a", "topic 'a' is listed twice in --topics")]
    [InlineData("--topics a/b", "'a/b' is not a valid topic name")]
    [InlineData("brokers", "unexpected argument 'brokers'")]
    public void Parse_BadFlags_ThrowsOneLineMessage(string args, string expected)
    {
        var error = Assert.Throws<FormatException>(() => KafkaHostOptions.Parse(args.Split(' ')));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
