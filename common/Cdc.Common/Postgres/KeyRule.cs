namespace Cdc.Common.Postgres;

/// <summary>
/// What identifies a table's rows, one rule for the connector, the sink and the reconciler: the primary key; without
/// one, the replica-identity index; else the first unique index by name that is valid, immediate, without predicate
/// or expressions and covers only NOT NULL columns (a row's identity must exist and be unique; PostgreSQL asks the
/// same of a replica-identity index, and <c>ON CONFLICT</c> of a non-deferrable one). Debezium keys a table without a
/// primary key by such a unique key too.
/// </summary>
public static class KeyRule
{
    /// <summary>A scalar subquery: the <c>pg_index.indexrelid</c> of the key of the relation <paramref name="relation"/>
    /// (an SQL expression of type <c>oid</c>), or NULL when the table has none.</summary>
    public static string IndexOf(string relation) =>
        $"""
        (SELECT ki.indexrelid FROM pg_index ki JOIN pg_class kc ON kc.oid = ki.indexrelid
         WHERE ki.indrelid = {relation} AND ki.indisvalid
           AND (ki.indisprimary OR (ki.indisunique AND ki.indimmediate AND ki.indpred IS NULL AND ki.indexprs IS NULL
                AND NOT EXISTS (SELECT FROM pg_attribute ka WHERE ka.attrelid = ki.indrelid AND ka.attnum = ANY (ki.indkey) AND NOT ka.attnotnull)))
         ORDER BY ki.indisprimary DESC, ki.indisreplident DESC, kc.relname LIMIT 1)
        """;
}
