using System.Globalization;

namespace Cdc.DevKit.Kafka;

/// <summary>The flags of <c>cdc kafka</c>; see <see cref="KafkaHostCommand.Usage"/>.</summary>
public sealed record KafkaHostOptions
{
    public int Brokers { get; init; } = 3;

    public IReadOnlyList<string> Topics { get; init; } = [];

    public int Partitions { get; init; } = 32;

    /// <summary>0 picks a free port.</summary>
    public int ControlPort { get; init; }

    public TimeSpan GroupInitialRebalanceDelay { get; init; } = MockCluster.DefaultGroupInitialRebalanceDelay;

    public bool ShowHelp { get; init; }

    /// <exception cref="FormatException">An unknown flag, a missing or invalid value; the message is one line.</exception>
    public static KafkaHostOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new KafkaHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                options = options with { ShowHelp = true };
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected argument '{arg}' (options are written --name value)");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? arg : arg[..equals];
            string Value() => equals >= 0 ? arg[(equals + 1)..]
                : i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                : throw new FormatException($"option '{flag}' needs a value");

            options = flag switch
            {
                "--brokers" => options with { Brokers = Integer(flag, Value(), 1, 100) },
                "--topics" => options with { Topics = TopicList(Value()) },
                "--partitions" => options with { Partitions = Integer(flag, Value(), 1, 100_000) },
                "--control-port" => options with { ControlPort = Integer(flag, Value(), 0, 65_535) },
                "--rebalance-delay-ms" => options with
                {
                    GroupInitialRebalanceDelay = TimeSpan.FromMilliseconds(Integer(flag, Value(), 0, 300_000)),
                },
                _ => throw new FormatException(
                    $"unknown option '{flag}' (known: --brokers, --topics, --partitions, --control-port, --rebalance-delay-ms, --help)"),
            };
        }

        return options;
    }

    private static int Integer(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new FormatException($"option '{flag}' needs a whole number from {min} to {max}, not '{value}'");

    private static string[] TopicList(string value)
    {
        var topics = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (topics.Length == 0)
        {
            throw new FormatException("option '--topics' needs a comma-separated list of topic names");
        }

        if (topics.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new FormatException($"topic '{duplicate.Key}' is listed twice in --topics");
        }

        if (topics.FirstOrDefault(t => !IsValidTopicName(t)) is { } invalid)
        {
            throw new FormatException($"'{invalid}' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)");
        }

        return topics;
    }

    /// <summary>Kafka's rule for topic names.</summary>
    public static bool IsValidTopicName(string name) =>
        name.Length is > 0 and <= 249 && name is not ("." or "..")
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
