using Cdc.Sink.Worker;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// Leaving the group has a deadline: librdkafka's close waits for its group state machine without one (serving the
/// revoke on the closing thread), and a close that never returned held a test host until CI's 20-minute hang timeout.
/// </summary>
public sealed class GroupLeaveTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task A_close_that_does_not_return_is_left_at_the_deadline_with_a_warning_and_finishes_on_its_own()
    {
        var topic = kafka.CreateUniqueTopic("leave", partitions: 1);
        using var revoking = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // The revoke a close serves on its own thread does not return until released: a close that does not return.
        var consumer = await AssignedAsync(
            new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).SetPartitionsRevokedHandler((_, _) =>
            {
                revoking.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            }),
            topic);
        var log = new LogRecorder();

        var closing = GroupLeave.CloseAsync(consumer, "leave-group", TimeSpan.FromSeconds(1), log);
        await Wait.ForAsync(closing, TimeSpan.FromSeconds(30), "the close with a 1 s deadline to give up");

        Assert.False(await closing);
        Assert.True(revoking.IsSet, "the close never reached the revoke");
        Assert.Contains("leaving group leave-group did not finish within 00:00:01", log.Text, StringComparison.Ordinal);
        // Left running, not disposed under it: released, it completes the close on its own thread.
        release.Set();
        await Wait.UntilAsync(() => Task.FromResult(IsClosed(consumer)), TimeSpan.FromSeconds(30), "the released close to finish");
    }

    [Fact]
    public async Task A_close_within_the_deadline_leaves_and_disposes_the_consumer()
    {
        var topic = kafka.CreateUniqueTopic("leave", partitions: 1);
        var consumer = await AssignedAsync(new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()), topic);
        var log = new LogRecorder();

        var closing = GroupLeave.CloseAsync(consumer, "leave-group", TimeSpan.FromSeconds(30), log);
        await Wait.ForAsync(closing, TimeSpan.FromSeconds(60), "the close to finish");

        Assert.True(await closing);
        Assert.True(IsClosed(consumer));
        Assert.DoesNotContain("did not finish", log.Text, StringComparison.Ordinal);
    }

    /// <summary>A consumer subscribed to <paramref name="topic"/> (one partition) that has been assigned it.</summary>
    private static async Task<IConsumer<byte[]?, byte[]?>> AssignedAsync(ConsumerBuilder<byte[]?, byte[]?> builder, string topic)
    {
        var consumer = builder.Build();
        consumer.Subscribe(topic);
        await Wait.UntilAsync(() => Task.FromResult(consumer.Consume(TimeSpan.FromMilliseconds(100)) is null && consumer.Assignment.Count == 1), TimeSpan.FromSeconds(30), "the consumer's assignment");
        return consumer;
    }

    private static bool IsClosed(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            _ = consumer.MemberId;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
