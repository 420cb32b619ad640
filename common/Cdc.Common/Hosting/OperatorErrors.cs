using System.Net.Sockets;
using Cdc.Common.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cdc.Common.Hosting;

/// <summary>
/// Failures an operator fixes outside the program (configuration, credentials, a missing database or table, a
/// server that cannot be reached, a port already taken), told apart from bugs: these end a command with one line
/// naming the problem and exit code 2, never a stack trace.
/// </summary>
public static class OperatorErrors
{
    /// <summary>
    /// Runs a command that is not hosted (the dev tool's) so that the operator's problems end it as the hosted ones end:
    /// one line on <paramref name="error"/> and exit code 2. Anything else propagates.
    /// </summary>
    public static async Task<int> GuardAsync(string command, TextWriter error, Func<Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run();
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            await error.WriteLineAsync($"{command}: {OneLine(problem)}");
            return 2;
        }
    }

    /// <summary>One line saying what is wrong, or null when <paramref name="error"/> is not the operator's to fix.</summary>
    public static string? Describe(Exception error) => error switch
    {
        ConfigurationError e => e.Message,
        OptionsValidationException e => string.Join("; ", e.Failures),
        PostgresException e when IsOperatorState(e.SqlState) => Postgres(e),
        NpgsqlException { InnerException: SocketException s } => $"cannot reach PostgreSQL: {s.Message}",
        AggregateException { InnerExceptions: [var only] } => Describe(only),
        _ => null,
    };

    /// <summary>
    /// SQLSTATEs no retry fixes: invalid authorization (class 28: wrong password, no such role, pg_hba), a database,
    /// schema or table that does not exist, missing privileges, and an object not in the state needed (55000:
    /// <c>wal_level</c> below logical, an invalidated replication slot).
    /// </summary>
    public static bool IsOperatorState(string sqlState) =>
        sqlState.StartsWith("28", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable
            or PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectNotInPrerequisiteState;

    /// <summary>PostgreSQL's own message with its SQLSTATE, and the hint when it gives one.</summary>
    public static string Postgres(PostgresException e) =>
        OneLine(e.Hint is { Length: > 0 } hint ? $"{e.MessageText} ({e.SqlState}; {hint})" : $"{e.MessageText} ({e.SqlState})");

    /// <summary>Line breaks as spaces: a console line stays one line.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
