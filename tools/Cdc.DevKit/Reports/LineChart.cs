using System.Text;

namespace Cdc.DevKit.Reports;

/// <summary>Lines over a shared x axis (time, usually), each series in its own colour, with optional labelled marks on x.</summary>
public sealed class LineChart(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series) : IReportChart
{
    public string Title => title;

    /// <summary>Vertical marks at x with a label (a phase of the run: "flip 1", "drift").</summary>
    public IReadOnlyList<(double X, string Label)> Marks { get; init; } = [];

    public string Render()
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var svg = new StringBuilder(Svg.Open(title));
        if (points.Count == 0)
        {
            svg.Append($"<text class=\"label\" x=\"{Svg.Width / 2}\" y=\"{Svg.Height / 2}\" text-anchor=\"middle\">no data</text></svg>");
            return svg.ToString();
        }

        var xTicks = Svg.Ticks(Math.Min(0, points.Min(p => p.X)), points.Max(p => p.X));
        var yTicks = Svg.Ticks(Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        var (xMin, xMax, yMin, yMax) = (xTicks[0], xTicks[^1], yTicks[0], yTicks[^1]);
        Svg.Axes(svg, xTicks, yTicks, xLabel, yLabel);
        foreach (var (x, label) in Marks)
        {
            var at = Svg.N(Svg.X(x, xMin, xMax));
            svg.Append($"<line class=\"mark\" x1=\"{at}\" x2=\"{at}\" y1=\"{Svg.Top}\" y2=\"{Svg.Top + Svg.PlotHeight}\"/>");
            svg.Append($"<text class=\"marklabel\" x=\"{at}\" y=\"{Svg.Top + 10}\" transform=\"rotate(-90 {at} {Svg.Top + 10})\" text-anchor=\"end\">{Svg.Text(label)}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var color = Svg.Colors[i % Svg.Colors.Length];
            var path = string.Join(' ', series[i].Points.Select(p => $"{Svg.N(Svg.X(p.X, xMin, xMax))},{Svg.N(Svg.Y(p.Y, yMin, yMax))}"));
            svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{path}\"><title>{Svg.Text(series[i].Name)}</title></polyline>");
        }

        Svg.Legend(svg, [.. series.Select(s => s.Name)]);
        return svg.Append("</svg>").ToString();
    }
}
