namespace Cdc.Store.Catalog;

/// <param name="Name">Column name in its table.</param>
/// <param name="PgType">PostgreSQL's <c>format_type()</c> of the column, e.g. <c>numeric(12,2)</c>.</param>
public sealed record TableColumn(string Name, string PgType)
{
    /// <summary><c>format_type()</c> without modifiers, e.g. <c>numeric</c>: always castable to on that server.</summary>
    public string BaseType { get; init; } = PgType;

    /// <summary><c>pg_type.typcategory</c>: N numeric, S string, D date/time, A array, U user-defined...</summary>
    public char Category { get; init; } = 'U';

    /// <summary><c>pg_type.typtype</c>: b base, c composite, d domain, e enum, r range, m multirange.</summary>
    public char TypeKind { get; init; } = 'b';

    public bool NotNull { get; init; }

    /// <summary>The column's comment (<c>COMMENT ON COLUMN</c>); null without one.</summary>
    public string? Comment { get; init; }

    /// <summary>The type sorts by a collation: its order may differ between two servers.</summary>
    public bool Collatable { get; init; }

    /// <summary>For a domain: the type it is built on (domains of domains resolved), under the same name; else null.</summary>
    public TableColumn? DomainBase { get; init; }

    /// <summary>The column as its values are really typed: the domain's base type, or the column itself.</summary>
    public TableColumn Underlying => DomainBase ?? this;

    /// <summary>
    /// The type key values are cast to in predicates: without modifiers (a <c>varchar(40)</c> cast would cut longer
    /// values), except where the bare name means length 1 (<c>character</c>, <c>bit</c>).
    /// </summary>
    public string CastType => BaseType is "character" or "bit" ? PgType : BaseType;
}
