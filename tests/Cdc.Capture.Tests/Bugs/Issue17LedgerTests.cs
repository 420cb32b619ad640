using Cdc.Capture.Configuration;
using Cdc.Capture.Kafka;
using Cdc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdc.Capture.Tests.Bugs;

/// <summary>
/// Issue 17: bench e2e's connector warned "1 transactions still wait for Kafka acknowledgements, the oldest committed
/// 25.2 s ago" while Kafka had acknowledged everything it was given: the transaction's BEGIN had reached the connector
/// 23 s after its commit (the walsender was decoding another database's bulk load) and its records were still being
/// read. The ledger tells the two apart: a unit waits for Kafka only once it is sealed.
/// </summary>
public sealed class Issue17LedgerTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task A_transaction_read_late_is_open_with_every_record_acknowledged_and_knows_how_late_it_arrived()
    {
        var topic = kafka.CreateUniqueTopic("issue17", partitions: 1);
        using var producer = new EventProducer(new CaptureOptions { BootstrapServers = kafka.BootstrapServers }, NullLogger.Instance);
        var ledger = new DeliveryLedger(TimeProvider.System);
        var committed = TimeProvider.System.GetUtcNow() - TimeSpan.FromSeconds(23);

        var unit = ledger.Open(committed);
        await producer.ProduceAsync(topic, [1], [2], unit, CancellationToken.None);
        await Wait.UntilAsync(() => Task.FromResult(unit.Outstanding == 0), TimeSpan.FromSeconds(30), "the mock cluster to acknowledge the record");

        Assert.Same(unit, ledger.Oldest);
        Assert.False(unit.IsSealed);
        Assert.Equal(1, unit.Count);
        Assert.True(unit.OpenedAt - unit.CommitTime >= TimeSpan.FromSeconds(23), $"opened {unit.OpenedAt:O}, committed {unit.CommitTime:O}");

        unit.Seal(confirmLsn: 42);

        Assert.Null(ledger.Oldest);
        Assert.Equal(42, ledger.ConfirmableLsn);
    }

    [Fact]
    public async Task A_sealed_transaction_whose_records_are_not_acknowledged_is_the_one_waiting_for_Kafka()
    {
        var topic = kafka.CreateUniqueTopic("issue17", partitions: 1);
        using var producer = new EventProducer(new CaptureOptions { BootstrapServers = kafka.BootstrapServers }, NullLogger.Instance);
        var ledger = new DeliveryLedger(TimeProvider.System);
        var brokers = kafka.Cluster.Brokers.Select(b => b.Id).ToList();
        brokers.ForEach(kafka.Cluster.SetBrokerDown);
        try
        {
            var unit = ledger.Open();
            await producer.ProduceAsync(topic, [1], [2], unit, CancellationToken.None);
            unit.Seal(confirmLsn: 7);

            Assert.Same(unit, ledger.Oldest);
            Assert.True(unit.IsSealed);
            Assert.Equal(1, unit.Outstanding);
        }
        finally
        {
            brokers.ForEach(kafka.Cluster.SetBrokerUp);
        }

        await Wait.UntilAsync(() => Task.FromResult(ledger.Oldest is null), TimeSpan.FromSeconds(60), "the record to be acknowledged once the broker is back");
        Assert.Equal(7, ledger.ConfirmableLsn);
    }
}
