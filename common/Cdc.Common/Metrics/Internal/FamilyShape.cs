namespace Cdc.Common.Metrics.Internal;

/// <summary>What a family records and how; instruments with the same Prometheus name share a family only when their
/// shapes are equal.</summary>
internal sealed record FamilyShape(MetricKind Kind, bool Observable, bool Additive, double[]? Bounds)
{
    public bool Equals(FamilyShape? other) =>
        other is not null && Kind == other.Kind && Observable == other.Observable && Additive == other.Additive
        && (Bounds ?? []).AsSpan().SequenceEqual(other.Bounds ?? []);

    public override int GetHashCode() => HashCode.Combine(Kind, Observable, Additive, Bounds?.Length);
}
