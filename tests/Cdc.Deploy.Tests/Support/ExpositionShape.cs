using System.Globalization;
using System.Text;

namespace Cdc.Deploy.Tests.Support;

/// <summary>
/// A Prometheus text exposition reduced to what the alert rules, their tests and the dashboard depend on: each
/// family's name, type and HELP text, and its samples (series names with sorted labels, histogram buckets included)
/// with their values as numbers. Formatting (label order, <c>1</c> or <c>1.0</c>, family order) is not part of it.
/// Families without samples are left out: Prometheus stores nothing for them.
/// </summary>
internal static class ExpositionShape
{
    /// <param name="exposition">Text format 0.0.4.</param>
    /// <param name="keepValues">False keeps label names, <c>le</c> bounds and series, but not label or sample values
    /// (for meters whose values depend on the run, such as Npgsql's).</param>
    public static string Of(string exposition, bool keepValues = true)
    {
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                help[space < 0 ? rest : rest[..space]] = space < 0 ? "" : rest[(space + 1)..];
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                types[parts[0]] = parts[1];
            }
            else if (!line.StartsWith('#'))
            {
                samples.Add(Sample(line, keepValues));
            }
        }

        var builder = new StringBuilder();
        foreach (var (family, type) in types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var own = samples.Where(s => FamilyOf(s, type) == family).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            builder.Append("# ").Append(family).Append(' ').Append(type).Append(" \"").Append(help.GetValueOrDefault(family, "")).Append("\"\n");
            foreach (var sample in own)
            {
                builder.Append(sample).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string FamilyOf(string sample, string type)
    {
        var name = sample[..Math.Min(sample.IndexOfAny(['{', ' ']) is var i and >= 0 ? i : sample.Length, sample.Length)];
        if (type == "histogram")
        {
            foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return name[..^suffix.Length];
                }
            }
        }

        return name;
    }

    private static string Sample(string line, bool keepValues)
    {
        string name;
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string rest;
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            name = line[..brace];
            var i = brace + 1;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq].Trim(',', ' ');
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                    }

                    value.Append(line[j]);
                }

                labels[label] = value.ToString();
                i = j + 1;
                while (line[i] is ',' or ' ')
                {
                    i++;
                }
            }

            rest = line[(i + 1)..].Trim();
        }
        else
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            name = line[..space];
            rest = line[(space + 1)..].Trim();
        }

        var number = rest.Split(' ')[0];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        var labelText = string.Join(",", labels.Select(l => $"{l.Key}=\"{(keepValues || l.Key == "le" ? Le(l.Key, l.Value) : "*")}\""));
        var valueText = keepValues ? parsed.ToString("R", CultureInfo.InvariantCulture) : "*";
        return labels.Count == 0 ? $"{name} {valueText}" : $"{name}{{{labelText}}} {valueText}";
    }

    private static string Le(string label, string value) =>
        label == "le" && value != "+Inf" ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) : value;
}
