namespace Cdc.Benchmarks.Sink;

/// <summary>
/// A deterministic stream of order changes over a fixed key space, aiming at 30% creates, 60% updates and
/// 10% deletes. The stream stays consistent (creates only of absent ids, updates and deletes only of live ones),
/// so when every id is live a drawn create becomes an update: over 100,000 keys and 1M events creates settle near
/// 100,000 plus the deletes. <see cref="Final"/> is what the primary holds afterwards.
/// </summary>
public sealed class OrderWorkload(int keys, int seed)
{
    private static readonly string[] Statuses = ["pending", "paid", "packed", "shipped", "delivered", "cancelled", "refunded"];

    /// <summary>2024-01-01T00:00:00Z in microseconds since the epoch.</summary>
    private const long BaseMicros = 1_704_067_200_000_000;

    private readonly Dictionary<long, OrderRow> _rows = new(keys);
    private readonly string[] _notes = OrderNotes.Build(new Random(seed ^ 0x5eed), 512);

    public IReadOnlyDictionary<long, OrderRow> Final => _rows;

    public int Creates { get; private set; }

    public int Updates { get; private set; }

    public int Deletes { get; private set; }

    public IEnumerable<OrderChange> Generate(int events)
    {
        var random = new Random(seed);
        var live = new KeyPool();
        var absent = new KeyPool();
        for (long id = 1; id <= keys; id++)
        {
            absent.Add(id);
        }

        for (long version = 1; version <= events; version++)
        {
            var draw = random.Next(100);
            var op = draw < 30 ? 'c' : draw < 90 ? 'u' : 'd';
            if (op == 'c' && absent.Count == 0)
            {
                op = 'u';
            }

            if (op != 'c' && live.Count == 0)
            {
                op = 'c';
            }

            var id = op == 'c' ? absent.Pick(random) : live.Pick(random);
            var row = new OrderRow(
                id,
                Statuses[random.Next(Statuses.Length)],
                random.Next(1, 50),
                random.Next(100, 5_000_000),
                BaseMicros + (version * 1_000) + random.Next(1_000),
                _notes[random.Next(_notes.Length)]);
            switch (op)
            {
                case 'c':
                    absent.Remove(id);
                    live.Add(id);
                    _rows[id] = row;
                    Creates++;
                    break;
                case 'u':
                    _rows[id] = row;
                    Updates++;
                    break;
                default:
                    live.Remove(id);
                    absent.Add(id);
                    _rows.Remove(id);
                    row = row with { Status = "", Note = "" };
                    Deletes++;
                    break;
            }

            yield return new OrderChange(op, version, row);
        }
    }
}
