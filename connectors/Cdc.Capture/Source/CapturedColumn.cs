using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>One column of a captured table: its name, <c>format_type()</c> text and the Connect schema Debezium gives it.</summary>
internal sealed record CapturedColumn(string Name, string PgType, ConnectSchema Schema, bool IsKey)
{
    /// <summary>PostgreSQL text output to this column's Connect value, with the type analysed once.</summary>
    public Func<string, object?> Convert { get; } = PostgresText.Converter(Schema, PgType);

    /// <summary>
    /// The column has no default, or a constant one (then in <see cref="ConnectSchema.DefaultValue"/>): when it is
    /// added, every existing row holds the same value. A volatile default (<c>now()</c>) rewrites each row differently.
    /// </summary>
    public bool ConstantDefault { get; init; } = true;
}
