using Cdc.Benchmarks.Support;

namespace Cdc.Dev.Demo;

/// <summary>Each flip's milliseconds from commit until a store showed every changed row: per store and for both.</summary>
internal sealed class FlipLatencies
{
    private readonly Dictionary<string, List<double>> _byStore = [];

    public List<double> Both { get; } = [];

    /// <summary>From commit until every event of the flip was on the topics (the source connector's share).</summary>
    public List<double> Kafka { get; } = [];

    /// <summary>Flips some store never showed completely.</summary>
    public int Incomplete { get; set; }

    public IReadOnlyList<double> Of(string subsystem) => _byStore.TryGetValue(subsystem, out var values) ? values : [];

    public void Add(string subsystem, double milliseconds)
    {
        if (!_byStore.TryGetValue(subsystem, out var values))
        {
            _byStore[subsystem] = values = [];
        }

        values.Add(milliseconds);
    }

    /// <summary>The nearest-rank percentile in whole milliseconds, or "-" without flips.</summary>
    public static string Percentile(IReadOnlyList<double> values, double percent) =>
        values.Count == 0 ? "-" : Math.Round(Stats.Percentile(values, percent)).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
