using System.Text;

namespace Cdc.DevKit.Reports;

/// <summary>One bar per measure, its value written on it: throughput beside its baselines.</summary>
public sealed class BarChart(string title, string unit, IReadOnlyList<(string Label, double Value)> bars) : IReportChart
{
    public string Title => title;

    public string Render()
    {
        var svg = new StringBuilder(Svg.Open(title));
        var values = bars.Select(b => double.IsFinite(b.Value) ? b.Value : 0).ToList();
        var yTicks = Svg.Ticks(0, values.DefaultIfEmpty(1).Max());
        var yMax = yTicks[^1];
        var slot = (double)Svg.PlotWidth / Math.Max(1, bars.Count);
        Svg.Axes(svg, [0, 1], yTicks, "", unit, _ => "");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var height = values[i] / yMax * Svg.PlotHeight;
            var x = Svg.Left + (i * slot) + (slot * 0.2);
            var y = Svg.Top + Svg.PlotHeight - height;
            svg.Append($"<rect x=\"{Svg.N(x)}\" y=\"{Svg.N(y)}\" width=\"{Svg.N(slot * 0.6)}\" height=\"{Svg.N(height)}\" fill=\"{Svg.Colors[i % Svg.Colors.Length]}\"><title>{Svg.Text($"{label}: {Svg.Tick(value)} {unit}")}</title></rect>");
            svg.Append($"<text class=\"value\" x=\"{Svg.N(x + (slot * 0.3))}\" y=\"{Svg.N(y - 4)}\" text-anchor=\"middle\">{Svg.Text(double.IsFinite(value) ? Svg.Tick(value) : "n/a")}</text>");
            svg.Append($"<text class=\"tick\" x=\"{Svg.N(x + (slot * 0.3))}\" y=\"{Svg.Top + Svg.PlotHeight + 16}\" text-anchor=\"middle\">{Svg.Text(label)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
