using System.Text.Json;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Postgres;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Transactions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Cdc.Sink.Transactions;

/// <summary>
/// <c>cdc txn</c> (a source transaction's state in every subsystem) and <c>cdc wait</c> (the freshness barrier), read
/// from the subsystems' stores, where their sinks keep the tracking (README "Transactions").
/// </summary>
public static class TransactionCommands
{
    private static readonly CommandFlag StoresFlag = new("--stores", "StoreList", "NAME=CONN,...", "each subsystem's store, named by its sink's consumer group") { Required = true };
    private static readonly CommandFlag SchemaFlag = new("--metadata-schema", "MetadataSchema", "SCHEMA", "the sinks' bookkeeping schema in the stores");
    private static readonly CommandFlag JsonFlag = new("--json", "Json", "", "one JSON document on stdout instead of lines") { IsSwitch = true };

    public static CommandDefinition<TransactionCommandOptions> Txn { get; } = new()
    {
        Name = "cdc txn",
        Summary = """
            A source transaction as each subsystem sees it: PENDING, PROCESSING (n of m applied), COMPLETED, or
            PARTIAL_FAILURE with the keys of the events that were dead-lettered; its commit and how long after it the
            transaction became wholly visible. cdc txn ID --stores risk=CONN,analytics=CONN [--json]
            """,
        Flags =
        [
            new("--id", "Id", "ID|LSN", "the transaction: txId, Debezium's txId:LSN, or an LSN such as 0/1A2B3C4 (also the first argument)") { Required = true },
            StoresFlag,
            SchemaFlag,
            JsonFlag,
        ],
        ExitCodes = "0 answered by at least one subsystem; 1 no subsystem knows the transaction; 2 the operator's to fix: a bad id, bad configuration, an unreachable store.",
        Bind = Bind,
        Validate = ValidateTxn,
        Dependencies = StoreDependencies,
        Run = (context, stopping) => TxnAsync(context.Options, context.Console.Out, stopping),
        LogCategory = "cdc.txn",
        FailureExitCode = 2,
        StoppedExitCode = 2,
    };

    public static CommandDefinition<TransactionCommandOptions> Wait { get; } = new()
    {
        Name = "cdc wait",
        Summary = """
            The freshness barrier: returns as soon as every named subsystem has finished with every source transaction
            committed at or below --lsn (a writer takes it from pg_current_wal_lsn() after its commit). Reads only the
            sinks' tracking in the stores, never the replicated tables.
            """,
        Flags =
        [
            new("--lsn", "Lsn", "LSN", "the position to wait for, as pg_current_wal_lsn() prints it (0/1A2B3C4)") { Required = true },
            StoresFlag,
            new("--subsystems", "SubsystemList", "a,b", "wait for these only") { Default = "every store in --stores" },
            new("--timeout", "Timeout", "T", "give up after this long"),
            SchemaFlag,
            JsonFlag,
        ],
        ExitCodes = """
            0 every subsystem applied everything at or below the LSN; 1 all reached it, but a transaction at or below it
            ended PARTIAL_FAILURE (its dead-lettered keys are printed); 3 the timeout passed first; 2 the operator's to
            fix: a bad LSN, bad configuration, an unknown subsystem, an unreachable store.
            """,
        Bind = Bind,
        Validate = ValidateWait,
        Dependencies = StoreDependencies,
        Run = (context, stopping) => WaitAsync(context.Options, context.Console.Out, stopping),
        LogCategory = "cdc.wait",
        FailureExitCode = 2,
        StoppedExitCode = 2,
    };

    /// <summary><c>cdc txn ID ...</c>: the first argument, when not a flag, is the id.</summary>
    public static Task<int> RunTxnAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        CommandHost.RunAsync(Txn, args is [var first, ..] && !first.StartsWith('-') ? ["--id", .. args] : args, CommandConsole.System, stopping);

    public static Task<int> RunWaitAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        CommandHost.RunAsync(Wait, args, CommandConsole.System, stopping);

    private static void Bind(IConfiguration configuration, TransactionCommandOptions options)
    {
        HostConfiguration.BindInto(configuration, options);
        foreach (var entry in HostConfiguration.CommaList(configuration, "StoreList") ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ConfigurationError($"--stores: '{entry}' is not NAME=CONN");
            }

            options.Stores[entry[..equals]] = entry[(equals + 1)..];
        }

        options.Subsystems = HostConfiguration.CommaList(configuration, "SubsystemList") ?? options.Subsystems;
    }

    private static void ValidateStores(TransactionCommandOptions options)
    {
        Check(options.Stores.Count > 0, "no subsystems: pass --stores risk='Host=...;Database=risk',analytics='...' (or Stores in the config file)");
        foreach (var (name, store) in options.Stores)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(store);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationError($"--stores: {name}: not a valid Npgsql connection string: {e.Message}", e);
            }
        }

        PgIdentifier.Validate(options.MetadataSchema);
    }

    private static void ValidateTxn(TransactionCommandOptions options)
    {
        ValidateStores(options);
        Check(TransactionQuery.TryParse(options.Id, out _), $"--id: '{options.Id}' is not {TransactionQuery.Expected}");
    }

    private static void ValidateWait(TransactionCommandOptions options)
    {
        ValidateStores(options);
        Check(PgLsn.TryParse(options.Lsn, out _), $"--lsn: '{options.Lsn}' is not an LSN such as 0/1A2B3C4");
        Check(options.Timeout > TimeSpan.Zero, "--timeout must be positive");
        var unknown = options.Subsystems.Where(s => !options.Stores.ContainsKey(s)).ToList();
        Check(unknown.Count == 0, $"--subsystems: {string.Join(", ", unknown)} not in --stores ({string.Join(", ", options.Stores.Keys)})");
    }

    private static IEnumerable<Dependency> StoreDependencies(TransactionCommandOptions options) =>
        options.Stores.Select(s => (Dependency)new PostgresDependency($"the {s.Key} store", s.Value));

    private static async Task<int> TxnAsync(TransactionCommandOptions options, TextWriter output, CancellationToken stopping)
    {
        TransactionQuery.TryParse(options.Id, out var query);
        var answers = await Task.WhenAll(options.Stores.Select(async s =>
        {
            await using var store = NpgsqlDataSource.Create(s.Value);
            var status = await new TransactionStore(new MetadataTables(options.MetadataSchema), s.Key).FindAsync(store, query.Xid, query.Lsn, stopping);
            return (Subsystem: s.Key, Status: status);
        }));
        if (options.Json)
        {
            await output.WriteLineAsync(Document(json =>
            {
                json.WriteStartObject();
                json.WriteString("query", options.Id);
                json.WriteStartArray("subsystems");
                foreach (var (subsystem, status) in answers)
                {
                    TransactionJson.Write(json, subsystem, status);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }));
        }
        else
        {
            foreach (var (subsystem, status) in answers)
            {
                await output.WriteLineAsync(TransactionJson.Line(subsystem, status));
            }
        }

        return answers.Any(a => a.Status is not null) ? 0 : 1;
    }

    private static async Task<int> WaitAsync(TransactionCommandOptions options, TextWriter output, CancellationToken stopping)
    {
        PgLsn.TryParse(options.Lsn, out var lsn);
        var names = options.Subsystems.Count > 0 ? options.Subsystems : [.. options.Stores.Keys];
        var results = await Task.WhenAll(names.Select(async name =>
        {
            await using var store = NpgsqlDataSource.Create(options.Stores[name]);
            return await FreshnessBarrier.WaitAsync(name, store, new TransactionStore(new MetadataTables(options.MetadataSchema), name), lsn, options.Timeout, TimeProvider.System, stopping);
        }));
        if (options.Json)
        {
            await output.WriteLineAsync(Document(json =>
            {
                json.WriteStartArray();
                foreach (var result in results)
                {
                    TransactionJson.Write(json, result);
                }

                json.WriteEndArray();
            }));
        }
        else
        {
            foreach (var r in results)
            {
                var at = r.Watermark is { } w ? PgLsn.Format(w) : "nothing yet";
                await output.WriteLineAsync(!r.Reached
                    ? $"{r.Subsystem}: not reached within {options.Timeout} (watermark {at})"
                    : r.Failed.Count == 0
                        ? $"{r.Subsystem}: reached (watermark {at})"
                        : $"{r.Subsystem}: reached, but {r.Failed.Count} transaction(s) ended PARTIAL_FAILURE: {string.Join("; ", r.Failed.Select(f => TransactionJson.Line(r.Subsystem, f)))}");
            }
        }

        return results.Any(r => !r.Reached) ? 3 : results.Any(r => r.Failed.Count > 0) ? 1 : 0;
    }

    private static string Document(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigurationError(message);
        }
    }
}
