using System.Globalization;

namespace Cdc.Reconciler.Compare;

/// <summary>Rows whose key is at or above <see cref="Lower"/> and below <see cref="Upper"/> (key values as text; null = unbounded).</summary>
public sealed record KeyRange(string[]? Lower, string[]? Upper)
{
    public static readonly KeyRange All = new(null, null);

    /// <summary>An integer key range [<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    public static KeyRange Of(long lower, long upper) =>
        new([lower.ToString(CultureInfo.InvariantCulture)], [upper.ToString(CultureInfo.InvariantCulture)]);

    public long LowerNumber => long.Parse(Lower![0], CultureInfo.InvariantCulture);

    public long UpperNumber => long.Parse(Upper![0], CultureInfo.InvariantCulture);

    public override string ToString() => $"[{Show(Lower)}, {Show(Upper)})";

    private static string Show(string[]? key) => key is null ? "∞" : string.Join(",", key);
}
