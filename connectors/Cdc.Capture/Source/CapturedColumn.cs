using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>One column of a captured table: its name, <c>format_type()</c> text and the Connect schema Debezium gives it.</summary>
/// <param name="Convert">PostgreSQL text output to this column's Connect value; default: the type mapping's.</param>
internal sealed record CapturedColumn(string Name, string PgType, ConnectSchema Schema, bool IsKey, Func<string, object?>? Convert = null)
{
    /// <summary>PostgreSQL text output to this column's Connect value, with the type analysed once.</summary>
    public Func<string, object?> Convert { get; } = Convert ?? PostgresText.Converter(Schema, PgType);
}
