namespace Cdc.DevKit.Reports;

/// <summary>One named line of a <see cref="LineChart"/>: points in order of x.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);
