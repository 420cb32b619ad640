using Cdc.Capture.Source;
using Npgsql;

namespace Cdc.Capture.Worker;

/// <summary>
/// The server's other replication slots that nothing consumes. Each keeps every WAL segment from its restart LSN on
/// until it is dropped, so an abandoned slot (a connector removed without its slot, a finished test run) fills the
/// primary's disk. The first successful look logs one warning per slot retaining more than
/// <see cref="Configuration.CaptureOptions.InactiveSlotWarningBytes"/>; every look refreshes the gauge
/// <c>cdc_capture_inactive_slot_retained_wal_bytes{slot}</c>.
/// </summary>
internal sealed class InactiveSlotWatch(CaptureContext context)
{
    private const double BytesPerMiB = 1024 * 1024;

    private int _warned;
    private int _unreadable;

    public async Task LookAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<InactiveSlot> slots;
        try
        {
            slots = await context.Setup.InactiveSlotsAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            if (Interlocked.Exchange(ref _unreadable, 1) == 0)
            {
                Log.InactiveSlotsUnreadable(context.Logger, e.MessageText);
            }

            return;
        }

        context.Metrics.InactiveSlots = slots;
        if (Interlocked.Exchange(ref _warned, 1) != 0)
        {
            return;
        }

        var threshold = context.Options.InactiveSlotWarningBytes;
        foreach (var slot in slots.Where(s => s.RetainedWalBytes > threshold))
        {
            Log.InactiveSlotRetainsWal(
                context.Logger, slot.Name, slot.Database ?? "(physical)", slot.RetainedWalBytes / BytesPerMiB, slot.RetainedWalBytes, threshold / BytesPerMiB);
        }
    }
}
