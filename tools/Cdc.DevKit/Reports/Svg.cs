using System.Globalization;
using System.Net;

namespace Cdc.DevKit.Reports;

/// <summary>What the charts share: the drawing area, scales with round ticks, colours, escaping.</summary>
internal static class Svg
{
    public const int Width = 880;
    public const int Height = 300;
    public const int Left = 70;
    public const int Right = 20;
    public const int Top = 30;
    public const int Bottom = 50;

    public static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"];

    public static int PlotWidth => Width - Left - Right;

    public static int PlotHeight => Height - Top - Bottom;

    public static string Text(string text) => WebUtility.HtmlEncode(text);

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A tick label: 1,234 / 12.5 / 0.25; big numbers with k and M.</summary>
    public static string Tick(double value) => Math.Abs(value) switch
    {
        >= 10_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>About <paramref name="count"/> round ticks from 0 (or <paramref name="min"/>) to at least <paramref name="max"/>.</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count = 5)
    {
        if (!(max > min))
        {
            max = min + 1;
        }

        var raw = (max - min) / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var first = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var t = first; t < max + (step / 2); t += step)
        {
            ticks.Add(Math.Round(t, 10));
        }

        if (ticks[^1] < max)
        {
            ticks.Add(ticks[^1] + step);
        }

        return ticks;
    }

    public static double X(double value, double min, double max) => Left + ((value - min) / (max - min) * PlotWidth);

    public static double Y(double value, double min, double max) => Top + PlotHeight - ((value - min) / (max - min) * PlotHeight);

    /// <summary>The frame, grid lines, tick labels and axis titles of a plot of [xMin, xMax] x [yMin, yMax].</summary>
    public static void Axes(System.Text.StringBuilder svg, IReadOnlyList<double> xTicks, IReadOnlyList<double> yTicks, string xLabel, string yLabel, Func<double, string>? xText = null)
    {
        var (xMin, xMax, yMin, yMax) = (xTicks[0], xTicks[^1], yTicks[0], yTicks[^1]);
        foreach (var tick in yTicks)
        {
            var y = N(Y(tick, yMin, yMax));
            svg.Append($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Text(Tick(tick))}</text>");
        }

        foreach (var tick in xTicks)
        {
            var x = N(X(tick, xMin, xMax));
            svg.Append($"<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight + 4}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{x}\" y=\"{Top + PlotHeight + 16}\" text-anchor=\"middle\">{Text((xText ?? Tick)(tick))}</text>");
        }

        svg.Append($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight}\"/>");
        svg.Append($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + PlotHeight}\"/>");
        svg.Append($"<text class=\"label\" x=\"{Left + (PlotWidth / 2)}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Text(xLabel)}</text>");
        svg.Append($"<text class=\"label\" x=\"14\" y=\"{Top + (PlotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + (PlotHeight / 2)})\">{Text(yLabel)}</text>");
    }

    /// <summary>The series' names and colours, in a row above the plot.</summary>
    public static void Legend(System.Text.StringBuilder svg, IReadOnlyList<string> names)
    {
        var x = (double)Left;
        for (var i = 0; i < names.Count; i++)
        {
            svg.Append($"<rect x=\"{N(x)}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{Colors[i % Colors.Length]}\"/>");
            svg.Append($"<text class=\"legend\" x=\"{N(x + 16)}\" y=\"18\">{Text(names[i])}</text>");
            x += 28 + (names[i].Length * 7);
        }
    }

    public static string Open(string title) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Text(title)}\">";
}
