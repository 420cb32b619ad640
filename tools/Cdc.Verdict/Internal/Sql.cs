namespace Cdc.Verdict.Internal;

internal static class Sql
{
    /// <summary>A quoted identifier: names are data.</summary>
    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
