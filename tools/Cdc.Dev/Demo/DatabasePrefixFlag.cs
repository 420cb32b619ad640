using System.Text.RegularExpressions;
using Cdc.Common.Configuration;

namespace Cdc.Dev.Demo;

/// <summary>The <c>--database-prefix</c> flag: the prefix of the databases (and slot) a local run recreates.</summary>
internal static partial class DatabasePrefixFlag
{
    /// <exception cref="ArgumentException">Not 1 to 40 of [a-z0-9_] starting with a letter.</exception>
    public static string Read(IReadOnlyList<string> args, ref int i)
    {
        var value = FlagValues.Value(args, ref i);
        return Pattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"option '--database-prefix' needs 1 to 40 of [a-z0-9_], starting with a letter, not '{value}'");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
