namespace Cdc.DevKit.Reports;

/// <summary>
/// A headline number of a report. <see cref="Id"/> is its <c>data-figure</c> attribute, so a test (or a script) finds
/// the run's own value in the page: <c>[data-figure="p99-ms"]</c>.
/// </summary>
public sealed record ReportFigure(string Id, string Label, string Value);
