using Cdc.Sink.Configuration;
using Cdc.Sink.Transactions;

namespace Cdc.Sink.Tests.Transactions;

public sealed class TransactionQueryTests
{
    [Theory]
    [InlineData("571", 571L, null)]
    [InlineData("571:53195832", 571L, null)]
    [InlineData("0/32B5E38", null, 0x32B5E38L)]
    [InlineData("16/B374D848", null, (0x16L << 32) | 0xB374D848L)]
    public void Ids_and_LSNs_are_told_apart(string text, long? xid, long? lsn)
    {
        Assert.True(TransactionQuery.TryParse(text, out var query));
        Assert.Equal(new TransactionQuery(xid, lsn), query);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("1:x")]
    [InlineData("0/xyz")]
    [InlineData("-5")]
    public void Anything_else_is_refused(string text) => Assert.False(TransactionQuery.TryParse(text, out _));

    [Fact]
    public void The_transaction_topic_comes_from_the_topics_prefix_and_tables_count_when_consumed()
    {
        var listed = new KafkaOptions { Topics = ["shop.public.orders", "shop.public.order_items"] };
        var pattern = new KafkaOptions { TopicPattern = "shop\\.public\\..*" };

        Assert.Equal("shop.transaction", new TransactionOptions().TopicFor(listed));
        Assert.Equal("shop.transaction", new TransactionOptions().TopicFor(pattern));
        Assert.Equal("x.tx", new TransactionOptions { Topic = "x.tx" }.TopicFor(listed));
        Assert.True(TransactionOptions.Consumes(listed, "shop.public.orders"));
        Assert.False(TransactionOptions.Consumes(listed, "shop.cdc.heartbeat"));
        Assert.True(TransactionOptions.Consumes(pattern, "shop.public.anything"));
        Assert.False(TransactionOptions.Consumes(pattern, "shop.cdc.heartbeat"));
    }
}
