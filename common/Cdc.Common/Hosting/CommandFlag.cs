namespace Cdc.Common.Hosting;

/// <summary>
/// One command-line flag: the configuration key it sets (so the same setting can come from appsettings.json,
/// <c>--config FILE</c> or a <c>CDC_</c> environment variable), how its value is written, and what it means. The
/// command's <c>--help</c> is written from these.
/// </summary>
/// <param name="Name">The flag, <c>--store</c>.</param>
/// <param name="Key">The configuration key it sets, <c>Store</c> (<c>:</c> for nesting).</param>
/// <param name="Value">How its value is written in the usage, <c>CONN</c>.</param>
/// <param name="Description">What it sets, one short line.</param>
public sealed record CommandFlag(string Name, string Key, string Value, string Description)
{
    /// <summary>The default <c>--help</c> shows; null reads it from a new options object at <see cref="Key"/>.</summary>
    public string? Default { get; init; }

    /// <summary>The command refuses to start without it (<c>--help</c> says "required" instead of a default).</summary>
    public bool Required { get; init; }

    /// <summary>A flag without a value (<c>--json</c>): present means <c>true</c>.</summary>
    public bool IsSwitch { get; init; }
}
