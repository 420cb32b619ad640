namespace Cdc.Reconciler.Tests.Support;

/// <summary>A logical replication slot on the primary that nobody consumes: it confirms only when told to.</summary>
internal sealed class TestSlot : IAsyncDisposable
{
    private readonly ReconcileBed _bed;

    private TestSlot(ReconcileBed bed, string name)
    {
        _bed = bed;
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestSlot> CreateAsync(ReconcileBed bed)
    {
        var name = $"rc_{Guid.NewGuid():N}";
        await bed.OnPrimaryAsync("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", name);
        return new TestSlot(bed, name);
    }

    /// <summary>Confirms the current LSN over and over, as a connector keeping up would.</summary>
    public async Task KeepConfirmingAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _bed.OnPrimaryAsync("SELECT pg_replication_slot_advance($1, pg_current_wal_lsn())", Name);
                await Task.Delay(50, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync() => await _bed.OnPrimaryAsync("SELECT pg_drop_replication_slot($1)", Name);
}
