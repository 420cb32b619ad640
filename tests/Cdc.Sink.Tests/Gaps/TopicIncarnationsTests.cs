using Cdc.Sink.Gaps;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Cdc.Sink.Tests.Gaps;

/// <summary>
/// The topic ids read at assignment (docs/design.md#no-silent-loss): right after a broker outage the first read often
/// times out on a connection that died; an id left unread there resumes the partitions at their stored offsets without
/// comparing incarnations, so the read is tried again.
/// </summary>
public sealed class TopicIncarnationsTests
{
    private const string Topic = "shop.public.orders";
    private static readonly Uuid Id = new(0x1234, 0x5678);

    [Fact]
    public void Refresh_WhenKafkaDidNotAnswerTheFirstRead_ReadsAgainAndTakesTheId()
    {
        var calls = 0;
        using var incarnations = new TopicIncarnations((_, _) => ++calls == 1 ? Unanswered() : Described());

        var ids = incarnations.Refresh([Topic]);

        Assert.Equal(Id.ToString(), ids[Topic]);
        Assert.Equal(Id.ToString(), incarnations.Current(Topic));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Refresh_WhenKafkaNeverAnswers_GivesUpAfterItsAttemptsWithTheIdUnread()
    {
        var calls = 0;
        using var incarnations = new TopicIncarnations((_, _) =>
        {
            calls++;
            return Unanswered();
        });

        Assert.Null(incarnations.Refresh([Topic])[Topic]);
        Assert.Null(incarnations.Current(Topic));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Refresh_OfATopicKafkaNoLongerHas_IsNotAskedAgain()
    {
        var calls = 0;
        using var incarnations = new TopicIncarnations((_, _) =>
        {
            calls++;
            return Task.FromResult(new DescribeTopicsResult { TopicDescriptions = [new TopicDescription { Name = Topic, Error = new Error(ErrorCode.UnknownTopicOrPart), Partitions = [] }] });
        });

        Assert.Null(incarnations.Refresh([Topic])[Topic]);
        Assert.Equal(1, calls);
    }

    private static Task<DescribeTopicsResult> Unanswered() => Task.FromException<DescribeTopicsResult>(new KafkaException(ErrorCode.Local_TimedOut));

    private static Task<DescribeTopicsResult> Described() =>
        Task.FromResult(new DescribeTopicsResult { TopicDescriptions = [new TopicDescription { Name = Topic, TopicId = Id, Error = new Error(ErrorCode.NoError), Partitions = [] }] });
}
