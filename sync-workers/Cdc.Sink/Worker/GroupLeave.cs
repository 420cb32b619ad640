using Cdc.Common.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Sink.Worker;

/// <summary>
/// Closes a group consumer (its revoke, the commit Kafka keeps for lag tools, LeaveGroup) within a deadline. librdkafka's
/// close waits for its group state machine with no deadline of its own and can wait forever (see
/// <see cref="ServeWhatCameBefore"/>, which avoids the case this sink met), while its caller must go on: a start-up that
/// failed, a worker stopping inside its drain deadline, a test disposing it. Past the deadline the close is left running on its own thread and the consumer is not disposed under it (destroying a
/// handle in the middle of its close is not safe); the coordinator drops the member at its session timeout, and nothing
/// is lost: positions are stored with the rows (docs/design.md#invariant-3-exactly-once-effect-in-each-store).
/// </summary>
internal static class GroupLeave
{
    /// <summary>A close sends two requests (the commit, LeaveGroup), each given up after <see cref="KafkaTimeouts.RequestMs"/>.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(2 * KafkaTimeouts.RequestMs);

    /// <returns>True when closed and disposed; false when <paramref name="deadline"/> passed first (logged).</returns>
    /// <exception cref="Exception">What the close threw (a rebalance handler's failure); the consumer is disposed.</exception>
    public static async Task<bool> CloseAsync(IConsumer<byte[]?, byte[]?> consumer, string group, TimeSpan deadline, ILogger logger)
    {
        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A thread of its own, not the pool's: a close that never returns holds no pool thread, and a background thread
        // does not keep the process from exiting.
        var thread = new Thread(() =>
        {
            try
            {
                ServeWhatCameBefore(consumer);
                consumer.Close();
                closing.SetResult();
            }
            catch (Exception e)
            {
                closing.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "cdc-sink-leave-group",
        };
        thread.Start();

        using var timer = new CancellationTokenSource();
        if (await Task.WhenAny(closing.Task, Task.Delay(deadline, timer.Token)) != closing.Task)
        {
            Log.LeaveTimedOut(logger, group, deadline);
            return false;
        }

        await timer.CancelAsync();
        try
        {
            await closing.Task;
        }
        finally
        {
            consumer.Dispose();
        }

        return true;
    }

    /// <summary>
    /// Unsubscribes, then serves what the coordinator sent before (an assignment never polled for, the revoke of the
    /// partitions held) while the group handler still answers. librdkafka's close terminates the handler first and serves
    /// them after, on the closing thread, where the assign call the rebalance handler makes waits forever for a reply
    /// from the terminated handler (confluentinc/librdkafka#4884): with its debug log, a sink disposed before it polled
    /// closed in join-state wait-assign-call, the group reached state term, and the close never returned (2 of 38 tries).
    /// After the unsubscribe nothing new is assigned; records fetched before it are dropped unapplied, as a revoke drops them.
    /// </summary>
    private static void ServeWhatCameBefore(IConsumer<byte[]?, byte[]?> consumer)
    {
        consumer.Unsubscribe();
        for (int polls = 0, idle = 0; idle < 3 && polls < 10_000; polls++)
        {
            try
            {
                idle = consumer.Consume(TimeSpan.Zero) is null ? idle + 1 : 0;
            }
            catch (ConsumeException)
            {
                idle = 0;
            }
        }
    }
}
