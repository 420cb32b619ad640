using System.Net.Sockets;
using Npgsql;

namespace Cdc.Store.Failures;

/// <summary>Classifies store exceptions by what the sink must do about them (SQLSTATE classes).</summary>
public static class StoreFailures
{
    public static FailureKind Classify(Exception error) => error switch
    {
        PostgresException pg => ClassifyPostgres(pg),
        NpgsqlException npgsql when npgsql.IsTransient => FailureKind.Transient,
        NpgsqlException { InnerException: { } inner } => Classify(inner),
        IOException or SocketException or TimeoutException => FailureKind.Transient,
        // Npgsql reports a connection broken under a command this way.
        InvalidOperationException when error.Message.Contains("connection", StringComparison.OrdinalIgnoreCase) => FailureKind.Transient,
        _ => FailureKind.Store,
    };

    /// <summary>
    /// By SQLSTATE; but an error a column type's input function raised while COPY converted one value (context
    /// <c>COPY t, line n, column c: ...</c>) is that value's fault whatever SQLSTATE the type's author chose
    /// (hstore's parser raises XX000): dead-letter it rather than stall the partition. (A server whose
    /// <c>lc_messages</c> translates the context falls back to the SQLSTATE.)
    /// </summary>
    private static FailureKind ClassifyPostgres(PostgresException error)
    {
        var kind = ClassifySqlState(error.SqlState);
        return kind == FailureKind.Store
               && error.Where is { } where
               && where.StartsWith("COPY ", StringComparison.Ordinal)
               && where.Contains(", column ", StringComparison.Ordinal)
            ? FailureKind.Data
            : kind;
    }

    private static FailureKind ClassifySqlState(string state) => state[..2] switch
    {
        "08" or "53" or "57" or "58" => FailureKind.Transient, // connection, resources, admin shutdown / cancel, system I/O
        "40" => FailureKind.Transient, // serialization failure, deadlock
        "55" when state is "55P03" or "55006" => FailureKind.Transient, // lock not available, object in use
        "22" or "23" => FailureKind.Data, // data exception, integrity constraint
        "54" => FailureKind.Data, // program limit: row or value too large
        "42" when state is "42804" or "42703" or "42883" => FailureKind.Data, // datatype mismatch, undefined column, undefined function (a value of the wrong type)
        "42" or "0A" or "2B" when TableSpecific.Contains(state) => FailureKind.Data,
        _ => FailureKind.Store,
    };

    // What is wrong with one table's definition, or with one row against it, never with the store as a whole: a column
    // named twice (42701), a definition the store refuses (42P16, 42611, 42P17, 42939, 42622), an ambiguous or bad
    // column reference (42702, 42P10), a generated column written (428C9), a type that cannot be coerced or resolved
    // (42846, 42P18), a view or other object where a table is expected (42809), an unsupported feature of that table
    // (0A000), objects depending on a column the DDL changes (2BP01). Classified as data, they refuse that table's
    // records (dead-lettered with the reason) and never open the circuit for every table
    // (docs/design.md#invariant-6-poison-never-blocks-never-vanishes).
    private static readonly HashSet<string> TableSpecific =
    [
        "42701", "42P16", "42611", "42P17", "42939", "42622", "42702", "42P10", "428C9", "42846", "42P18", "42809", "0A000", "2BP01",
    ];
}
