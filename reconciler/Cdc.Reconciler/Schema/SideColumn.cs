namespace Cdc.Reconciler.Schema;

/// <param name="Name">Column name on its side.</param>
/// <param name="PgType"><c>format_type()</c> with modifiers, e.g. <c>numeric(12,2)</c>.</param>
/// <param name="BaseType"><c>format_type()</c> without modifiers, e.g. <c>numeric</c>: always castable to on that server.</param>
/// <param name="Category"><c>pg_type.typcategory</c> (N numeric, S string, D date/time, U user, A array...).</param>
/// <param name="NotNull">Declared NOT NULL.</param>
public sealed record SideColumn(string Name, string PgType, string BaseType, char Category, bool NotNull)
{
    /// <summary>
    /// The type key values are cast to in predicates: without modifiers (a <c>varchar(40)</c> cast would cut longer
    /// bounds), except where the bare name means length 1 (<c>character</c>, <c>bit</c>).
    /// </summary>
    public string CastType => BaseType is "character" or "bit" ? PgType : BaseType;
}
