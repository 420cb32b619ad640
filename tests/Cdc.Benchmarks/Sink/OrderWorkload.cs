namespace Cdc.Benchmarks.Sink;

/// <summary>
/// A deterministic stream of order changes over a fixed key space, aiming at 30% creates, 60% updates and
/// 10% deletes. The stream stays consistent (creates only of absent ids, updates and deletes only of live ones),
/// so when every id is live a drawn create becomes an update: over 100,000 keys and 1M events creates settle near
/// 100,000 plus the deletes. <see cref="Final"/> is what the primary holds afterwards.
/// <para>
/// <see cref="Generate"/>, <see cref="Next"/>, <see cref="Create"/> and <see cref="SetStatus"/> all continue one
/// stream (versions 1, 2, ...): a writer can seed orders, change them at its own pace, and run multi-row statements.
/// </para>
/// </summary>
public sealed class OrderWorkload(int keys, int seed)
{
    private static readonly string[] Statuses = ["pending", "paid", "packed", "shipped", "delivered", "cancelled", "refunded"];

    /// <summary>2024-01-01T00:00:00Z in microseconds since the epoch.</summary>
    private const long BaseMicros = 1_704_067_200_000_000;

    private readonly Dictionary<long, OrderRow> _rows = new(keys);
    private readonly HashSet<long> _deleted = [];
    private readonly string[] _notes = OrderNotes.Build(new Random(seed ^ 0x5eed), 512);
    private Random? _random;
    private KeyPool? _live;
    private KeyPool? _absent;
    private long _version;

    public IReadOnlyDictionary<long, OrderRow> Final => _rows;

    /// <summary>Ids that were created and are deleted now: the rows a soft-deleting store keeps, flagged.</summary>
    public IReadOnlySet<long> Deleted => _deleted;

    public int Creates { get; private set; }

    public int Updates { get; private set; }

    public int Deletes { get; private set; }

    /// <summary>The version of the last change drawn (0 before the first).</summary>
    public long Version => _version;

    public IEnumerable<OrderChange> Generate(int events)
    {
        for (var i = 0; i < events; i++)
        {
            yield return Next();
        }
    }

    /// <summary>The next change of the 30/60/10 mix.</summary>
    public OrderChange Next()
    {
        var (random, live, absent) = State();
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

        return Change(op, op == 'c' ? absent.Pick(random) : live.Pick(random));
    }

    /// <summary>A create of an absent id (e.g. to seed the table before the mix starts).</summary>
    /// <exception cref="InvalidOperationException">Every id of the key space is live.</exception>
    public OrderChange Create()
    {
        var (random, _, absent) = State();
        return absent.Count > 0 ? Change('c', absent.Pick(random)) : throw new InvalidOperationException($"all {keys} order ids are live");
    }

    /// <summary>
    /// One statement, <c>UPDATE orders SET status = @status, updated_at = now() WHERE id IN (the @count lowest live ids)</c>:
    /// one update per row, in id order, other columns unchanged. Fewer rows when fewer are live.
    /// </summary>
    public IReadOnlyList<OrderChange> SetStatus(int count, string status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(status);
        State();
        var changes = new List<OrderChange>(Math.Min(count, _rows.Count));
        foreach (var id in _rows.Keys.Order().Take(count).ToList())
        {
            var version = ++_version;
            var row = _rows[id] with { Status = status, UpdatedAtMicros = BaseMicros + (version * 1_000) };
            _rows[id] = row;
            Updates++;
            changes.Add(new OrderChange('u', version, row));
        }

        return changes;
    }

    private OrderChange Change(char op, long id)
    {
        var (random, live, absent) = State();
        var version = ++_version;
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
                _deleted.Remove(id);
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
                _deleted.Add(id);
                row = row with { Status = "", Note = "" };
                Deletes++;
                break;
        }

        return new OrderChange(op, version, row);
    }

    /// <summary>The stream's random source and key pools, made on first use (every id absent).</summary>
    private (Random Random, KeyPool Live, KeyPool Absent) State()
    {
        if (_random is null || _live is null || _absent is null)
        {
            _random = new Random(seed);
            _live = new KeyPool();
            _absent = new KeyPool();
            for (long id = 1; id <= keys; id++)
            {
                _absent.Add(id);
            }
        }

        return (_random, _live, _absent);
    }
}
