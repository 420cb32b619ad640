using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cdc.Testing;

/// <summary>
/// Debian's Chromium (scripts/tools.sh), headless, with a fresh profile and no network of its own: opens a page and
/// returns the DOM it rendered and every message the page wrote to its console (errors included).
/// </summary>
public static partial class HeadlessChromium
{
    private static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0"];

    /// <returns>The serialized DOM after load, and the console messages (Chromium's <c>CONSOLE</c> log lines).</returns>
    public static async Task<(string Dom, IReadOnlyList<string> Console)> RenderAsync(string htmlFile) =>
        await RunAsync(htmlFile, "--dump-dom");

    private static async Task<(string Dom, IReadOnlyList<string> Console)> RunAsync(string htmlFile, string action)
    {
        ShellCommand.Require("chromium", "scripts/tools.sh");
        var profile = Directory.CreateTempSubdirectory("cdc-chromium-");
        try
        {
            var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var flag in Flags.Append($"--user-data-dir={profile.FullName}").Append(action))
            {
                start.ArgumentList.Add(flag);
            }

            start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);
            var result = await ProcessRun.RunAsync(start, TimeSpan.FromMinutes(2), $"chromium on {htmlFile}");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited with {result.ExitCode}: {result.Stderr}");
            }

            return (result.Stdout, [.. result.Stderr.Split('\n').Where(l => ConsoleLine().IsMatch(l)).Select(l => l.Trim())]);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@":CONSOLE(:|\()")]
    private static partial Regex ConsoleLine();
}
