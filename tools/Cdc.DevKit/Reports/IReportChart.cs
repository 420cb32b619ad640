namespace Cdc.DevKit.Reports;

/// <summary>A chart of a report, drawn as inline SVG: the page needs no script and no network.</summary>
public interface IReportChart
{
    string Title { get; }

    /// <summary>The <c>&lt;svg&gt;</c> element.</summary>
    string Render();
}
