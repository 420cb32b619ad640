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
        _ => FailureKind.Store,
    };
}
