using Cdc.Common.Postgres;

namespace Cdc.Reconciler;

/// <summary>A <c>schema.table</c> name as written on the command line (split at the first dot).</summary>
public sealed record TableName(string Schema, string Table)
{
    public static bool TryParse(string text, out TableName name)
    {
        name = new TableName("", "");
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1)
        {
            return false;
        }

        name = new TableName(text[..dot], text[(dot + 1)..]);
        return true;
    }

    public static TableName Parse(string text) =>
        TryParse(text, out var name) ? name : throw new ArgumentException($"'{text}' is not schema.table", nameof(text));

    public string Quoted => PgIdentifier.Quote(Schema, Table);

    public override string ToString() => $"{Schema}.{Table}";
}
