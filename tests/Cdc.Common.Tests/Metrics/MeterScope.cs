using System.Diagnostics.Metrics;
using Cdc.Common.Metrics;

namespace Cdc.Common.Tests.Metrics;

/// <summary>A meter with a unique Cdc name and an exposition that listens to it alone, so parallel tests never see
/// each other's instruments.</summary>
internal sealed class MeterScope : IDisposable
{
    public MeterScope()
    {
        Meter = new Meter($"Cdc.Tests.{Guid.NewGuid():N}");
        Exposition = new PrometheusExposition(m => ReferenceEquals(m, Meter));
    }

    public Meter Meter { get; }

    public PrometheusExposition Exposition { get; }

    public async Task<string[]> LinesAsync() => (await Exposition.RenderAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Exposition.Dispose();
        Meter.Dispose();
    }
}
