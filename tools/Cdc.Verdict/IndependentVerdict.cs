using Cdc.Verdict.Internal;
using Npgsql;

namespace Cdc.Verdict;

/// <summary>
/// A second judge of "is the store equal to the primary", beside the reconciler and sharing no code with it: each side's
/// rows are read whole with <c>COPY (SELECT ...) TO STDOUT</c> (PostgreSQL's own text of every value), sorted by key in
/// memory and merged. Values are compared as text, after the few conversions the sink's type mapping makes on purpose
/// (<see cref="ColumnRule"/>); both sessions print in UTC with ISO dates, shortest exact floats and hex bytea. Meant for
/// tests, the demo and chaos (tables of up to some million rows: every row is held in memory).
/// </summary>
public static class IndependentVerdict
{
    private const string SessionOptions = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=1";

    /// <exception cref="InvalidOperationException">A table or a mapped column does not exist, or a table has no key.</exception>
    public static async Task<StoreVerdict> CompareAsync(string primaryConnection, string storeConnection, IEnumerable<VerdictTable> tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        await using var primary = await OpenAsync(primaryConnection, cancellationToken);
        await using var store = await OpenAsync(storeConnection, cancellationToken);
        var verdicts = new List<TableVerdict>();
        foreach (var table in tables)
        {
            verdicts.Add(await CompareAsync(primary, store, table, cancellationToken));
        }

        return new StoreVerdict(verdicts);
    }

    private static async Task<TableVerdict> CompareAsync(NpgsqlConnection primary, NpgsqlConnection store, VerdictTable table, CancellationToken cancellationToken)
    {
        var primaryColumns = await TableColumns.ReadAsync(primary, table.PrimarySchema, table.PrimaryTable, cancellationToken);
        var storeColumns = await TableColumns.ReadAsync(store, table.StoreSchema, table.StoreTable, cancellationToken);
        var key = await TableColumns.KeyAsync(primary, table.PrimarySchema, table.PrimaryTable, cancellationToken);
        if (key.Count == 0)
        {
            throw new InvalidOperationException($"{table.Name} has no primary key or unique index of NOT NULL columns: rows cannot be matched");
        }

        var compared = primaryColumns.Where(c => key.Contains(c.Name)).OrderBy(c => key.IndexOf(c.Name))
            .Concat(primaryColumns.Where(c => !key.Contains(c.Name) && !table.Excluded.Contains(c.Name)))
            .Select(c =>
            {
                var storeName = table.Renames.GetValueOrDefault(c.Name, c.Name);
                var storeColumn = storeColumns.FirstOrDefault(s => s.Name == storeName)
                    ?? throw new InvalidOperationException($"store table {table.StoreSchema}.{table.StoreTable} has no column {storeName} (primary {table.Name}.{c.Name})");
                return (Primary: c, Store: storeColumn, Rule: ColumnRule.For(c, storeColumn));
            })
            .ToList();
        var primaryRows = await CopyRows.ReadAsync(primary, Select(table.PrimarySchema, table.PrimaryTable, compared.Select(c => c.Rule.Primary), null), key.Count, cancellationToken);
        var storeRows = await CopyRows.ReadAsync(store, Select(table.StoreSchema, table.StoreTable, compared.Select(c => c.Rule.Store), table.SoftDeletes ? "NOT coalesce(\"_cdc_deleted\", false)" : null), key.Count, cancellationToken);
        var verdict = new TableVerdict(table) { PrimaryRows = primaryRows.Count, StoreRows = storeRows.Count };
        Merge(verdict, primaryRows, storeRows, [.. compared.Select(c => c.Primary.Name)]);
        return verdict;
    }

    /// <summary>Both sides sorted by key; one pass over both.</summary>
    private static void Merge(TableVerdict verdict, List<CopyRow> primary, List<CopyRow> store, string[] columns)
    {
        int i = 0, j = 0;
        while (i < primary.Count || j < store.Count)
        {
            var order = i == primary.Count ? 1 : j == store.Count ? -1 : CopyRow.CompareKeys(primary[i], store[j]);
            if (order < 0)
            {
                verdict.Missing.Add(new VerdictRow(primary[i++].Key, []));
            }
            else if (order > 0)
            {
                verdict.Extra.Add(new VerdictRow(store[j++].Key, []));
            }
            else
            {
                var differing = columns.Where((_, c) => !string.Equals(primary[i].Fields[c], store[j].Fields[c], StringComparison.Ordinal)).ToList();
                if (differing.Count > 0)
                {
                    verdict.Changed.Add(new VerdictRow(primary[i].Key, differing));
                }

                i++;
                j++;
            }
        }
    }

    private static string Select(string schema, string table, IEnumerable<string> expressions, string? where) =>
        $"COPY (SELECT {string.Join(", ", expressions)} FROM {Sql.Quote(schema)}.{Sql.Quote(table)}{(where is null ? "" : $" WHERE {where}")}) TO STDOUT";

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "cdc-verdict", Pooling = false };
        builder.Options = $"{builder.Options} {SessionOptions}".Trim();
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
