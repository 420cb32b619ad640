namespace Cdc.Capture.Tests.Support;

/// <summary>
/// Increments column <c>n</c> of table <c>k</c> for the keys of one parity (ids 1..keys), one update at a time, so it knows
/// every value it committed, in commit order.
/// </summary>
internal sealed class ParityKeyWriter(CaptureTestBed bed, int keys, int parity)
{
    private readonly Random _random = new(parity);

    public Dictionary<string, List<long>> Committed { get; } = [];

    public async Task WriteAsync(int updates)
    {
        for (var i = 0; i < updates; i++)
        {
            var id = (_random.Next(keys / 2) * 2) + 1 + parity;
            var n = await bed.ScalarAsync<long>($"UPDATE k SET n = n + 1 WHERE id = {id} RETURNING n");
            var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!Committed.TryGetValue(key, out var values))
            {
                Committed[key] = values = [];
            }

            values.Add(n);
        }
    }
}
