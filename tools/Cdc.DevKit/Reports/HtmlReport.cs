using System.Globalization;
using System.Text;

namespace Cdc.DevKit.Reports;

/// <summary>
/// A self-contained HTML page of a run: headline figures, tables and charts, all inline (CSS and SVG; no script, no
/// font, no request), so it opens anywhere, offline, and can be mailed as one file.
/// </summary>
public sealed class HtmlReport(string title)
{
    private const string Style = """
        body { font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 24px auto; max-width: 920px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
        .sub { color: #666; margin-top: 0; }
        .figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
        .figure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
        .figure .value { font-size: 20px; font-weight: 600; display: block; }
        .figure .name { color: #666; font-size: 12px; }
        table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
        th { background: #f5f5f5; } td:first-child, th:first-child { text-align: left; }
        pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
        svg { display: block; margin: 6px 0 18px; }
        svg .grid { stroke: #eee; } svg .axis { stroke: #888; } svg .mark { stroke: #999; stroke-dasharray: 4 3; }
        svg text { font-size: 11px; fill: #444; } svg .label { font-size: 12px; fill: #222; } svg .value { font-size: 11px; font-weight: 600; }
        svg .marklabel { font-size: 10px; fill: #666; }
        """;

    private readonly StringBuilder _body = new();

    /// <summary>Headline numbers, each findable by its <c>data-figure</c> id.</summary>
    public HtmlReport Figures(params ReportFigure[] figures)
    {
        _body.Append("<div class=\"figures\">");
        foreach (var figure in figures)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<div class=\"figure\"><span class=\"value\" data-figure=\"{Svg.Text(figure.Id)}\">{Svg.Text(figure.Value)}</span><span class=\"name\">{Svg.Text(figure.Label)}</span></div>");
        }

        _body.Append("</div>");
        return this;
    }

    public HtmlReport Section(string heading, string? text = null)
    {
        _body.Append("<h2>").Append(Svg.Text(heading)).Append("</h2>");
        return text is null ? this : Paragraph(text);
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Svg.Text(text)).Append("</p>");
        return this;
    }

    public HtmlReport Chart(IReportChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        _body.Append("<figure><figcaption><strong>").Append(Svg.Text(chart.Title)).Append("</strong></figcaption>").Append(chart.Render()).Append("</figure>");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><tr>");
        foreach (var header in headers)
        {
            _body.Append("<th>").Append(Svg.Text(header)).Append("</th>");
        }

        _body.Append("</tr>");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
            {
                _body.Append("<td>").Append(Svg.Text(cell)).Append("</td>");
            }

            _body.Append("</tr>");
        }

        _body.Append("</table>");
        return this;
    }

    /// <summary>Text as the console printed it (a benchmark's table, the RESULT line).</summary>
    public HtmlReport Preformatted(string text)
    {
        _body.Append("<pre>").Append(Svg.Text(text)).Append("</pre>");
        return this;
    }

    public string Render(string subtitle) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{Svg.Text(title)}</title><style>{Style}</style></head>
        <body><h1>{Svg.Text(title)}</h1><p class="sub">{Svg.Text(subtitle)}</p>
        {_body}
        </body></html>
        """;

    /// <summary>Writes the page to <paramref name="path"/> (its folder created) and returns the full path.</summary>
    public async Task<string> SaveAsync(string path, string subtitle, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Render(subtitle), Encoding.UTF8, cancellationToken);
        return full;
    }

    /// <summary>
    /// Where a run's report goes unless told otherwise: <c>.artifacts/reports/&lt;name&gt;-&lt;UTC time&gt;.html</c> under
    /// the repository (<c>CDC_ROOT</c>, which <c>./cdc</c> sets), else under the current directory.
    /// </summary>
    public static string DefaultPath(string name)
    {
        var root = Environment.GetEnvironmentVariable("CDC_ROOT") is { Length: > 0 } repository ? repository : Directory.GetCurrentDirectory();
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return Path.Combine(root, ".artifacts", "reports", $"{name}-{stamp}.html");
    }
}
