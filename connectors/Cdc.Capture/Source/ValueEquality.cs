namespace Cdc.Capture.Source;

/// <summary>Equality of Connect values as key columns hold them (scalars, byte arrays).</summary>
internal static class ValueEquality
{
    public static bool Equal(object? a, object? b) =>
        (a, b) switch
        {
            (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
            _ => Equals(a, b),
        };
}
