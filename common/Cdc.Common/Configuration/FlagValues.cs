using System.Globalization;

namespace Cdc.Common.Configuration;

/// <summary>Reads the value after a <c>--flag</c> in the small commands' hand-parsed arguments (demo, benchmarks).</summary>
public static class FlagValues
{
    /// <summary>The next argument; <paramref name="i"/> moves onto it.</summary>
    /// <exception cref="ArgumentException">The flag is the last argument.</exception>
    public static string Value(IReadOnlyList<string> args, ref int i)
    {
        var flag = args[i];
        return i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option '{flag}' needs a value");
    }

    /// <summary>The next argument as a whole number in [<paramref name="min"/>, <paramref name="max"/>] (<c>_</c> and <c>,</c> allowed as separators).</summary>
    /// <exception cref="ArgumentException">Missing, not a number, or out of range.</exception>
    public static int Number(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        var flag = args[i];
        var text = Value(args, ref i).Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"option '{flag}' needs a whole number from {min} to {max}, not '{args[i]}'");
        }

        return value;
    }
}
