using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>One column of a captured table: its name, <c>format_type()</c> text and the Connect schema Debezium gives it.</summary>
internal sealed record CapturedColumn(string Name, string PgType, ConnectSchema Schema, bool IsKey)
{
    /// <summary>
    /// PostgreSQL text output to this column's Connect value, with the type analysed once. A <c>bit varying</c>, alone
    /// or in an array, keeps its exact text (<see cref="BitString.Exact"/>): its wire bytes are Debezium's, and its
    /// length goes into the <see cref="BitLengthsHeader"/>.
    /// </summary>
    public Func<string, object?> Convert { get; } = PostgresText.Converter(Schema, PgType, exactBits: true);

    /// <summary>True for a <c>bit varying</c> column or an array of them: its values' lengths travel in a header.</summary>
    public bool IsBitVarying { get; } = PgType.StartsWith("bit varying", StringComparison.Ordinal);

    /// <summary>
    /// The column has no default, or a constant one (then in <see cref="ConnectSchema.DefaultValue"/>): when it is
    /// added, every existing row holds the same value. A volatile default (<c>now()</c>) rewrites each row differently.
    /// </summary>
    public bool ConstantDefault { get; init; } = true;
}
