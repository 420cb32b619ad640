using System.Text;

namespace Cdc.DevKit.Reports;

/// <summary>
/// How values are distributed: counts per bin, each series its own colour side by side, with the first series'
/// percentiles marked (p50, p95, p99, nearest rank).
/// </summary>
public sealed class Histogram(string title, string unit, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series) : IReportChart
{
    private static readonly int[] Percentiles = [50, 95, 99];

    public string Title => title;

    public string Render()
    {
        var svg = new StringBuilder(Svg.Open(title));
        var all = series.SelectMany(s => s.Values).ToList();
        if (all.Count == 0)
        {
            svg.Append($"<text class=\"label\" x=\"{Svg.Width / 2}\" y=\"{Svg.Height / 2}\" text-anchor=\"middle\">no data</text></svg>");
            return svg.ToString();
        }

        var xTicks = Svg.Ticks(0, all.Max() * 1.05, 8);
        var (xMin, xMax) = (xTicks[0], xTicks[^1]);
        var bins = Math.Clamp(all.Count, 5, 30);
        var width = (xMax - xMin) / bins;
        var counts = series.Select(s => Enumerable.Range(0, bins).Select(b => s.Values.Count(v => (int)Math.Min(bins - 1, Math.Floor((v - xMin) / width)) == b)).ToList()).ToList();
        // Counts are whole: at least 4 on the axis keeps its ticks whole too.
        var yTicks = Svg.Ticks(0, Math.Max(4, counts.SelectMany(c => c).Max()), 4);
        var yMax = yTicks[^1];
        Svg.Axes(svg, xTicks, yTicks, unit, "count");
        var binPixels = (double)Svg.PlotWidth / bins;
        var barPixels = binPixels * 0.9 / series.Count;
        for (var s = 0; s < series.Count; s++)
        {
            for (var b = 0; b < bins; b++)
            {
                if (counts[s][b] == 0)
                {
                    continue;
                }

                var height = counts[s][b] / yMax * Svg.PlotHeight;
                var x = Svg.Left + (b * binPixels) + (binPixels * 0.05) + (s * barPixels);
                var range = $"{Svg.Tick(xMin + (b * width))} to {Svg.Tick(xMin + ((b + 1) * width))} {unit}";
                svg.Append($"<rect x=\"{Svg.N(x)}\" y=\"{Svg.N(Svg.Top + Svg.PlotHeight - height)}\" width=\"{Svg.N(barPixels)}\" height=\"{Svg.N(height)}\" fill=\"{Svg.Colors[s % Svg.Colors.Length]}\"><title>{Svg.Text($"{series[s].Name}: {counts[s][b]} in {range}")}</title></rect>");
            }
        }

        var first = series[0].Values;
        if (first.Count > 0)
        {
            var sorted = first.Order().ToList();
            foreach (var (p, index) in Percentiles.Select((p, i) => (p, i)))
            {
                var value = sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
                var at = Svg.N(Svg.X(value, xMin, xMax));
                svg.Append($"<line class=\"mark\" x1=\"{at}\" x2=\"{at}\" y1=\"{Svg.Top}\" y2=\"{Svg.Top + Svg.PlotHeight}\"/>");
                var text = value >= 10 ? Math.Round(value).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) : Svg.Tick(value);
                svg.Append($"<text class=\"marklabel\" x=\"{Svg.N(Svg.X(value, xMin, xMax) + 3)}\" y=\"{Svg.Top + 10 + (index * 12)}\">p{p} {Svg.Text(text)}</text>");
            }
        }

        Svg.Legend(svg, [.. series.Select(s => s.Name)]);
        return svg.Append("</svg>").ToString();
    }
}
