using Npgsql;

namespace Cdc.Capture.Source;

/// <summary>What the connector asks the source's catalog about tables to publish: candidates and their leaf partitions.</summary>
internal static class PublicationCatalog
{
    private const string Candidates = """
        SELECT n.nspname::text, c.relname::text,
               CASE WHEN c.relpersistence <> 'p' THEN 'it is ' || CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'temporary' END || ' (not in the WAL)'
                    WHEN c.relreplident = 'f' THEN NULL
                    WHEN c.relreplident = 'd' AND EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) THEN NULL
                    WHEN c.relreplident = 'i' AND EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) THEN NULL
                    ELSE 'it has no primary key and no replica identity: published, every UPDATE and DELETE on it would fail' END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
          AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
        ORDER BY 1, 2
        """;

    /// <summary>
    /// The listed tables (a partitioned table as itself), or every table of the database when <paramref name="listed"/>
    /// is empty, each with why it cannot be published, if it cannot; a listed table that does not exist is returned as such.
    /// </summary>
    public static async Task<List<PublishableTable>> CandidatesAsync(NpgsqlDataSource source, IReadOnlyList<(string Schema, string Table)> listed, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(Candidates);
        command.Parameters.Add(new NpgsqlParameter { Value = listed.Count == 0 ? DBNull.Value : listed.Select(t => t.Schema).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = listed.Count == 0 ? DBNull.Value : listed.Select(t => t.Table).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        var found = new List<PublishableTable>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(new PublishableTable(reader.GetString(0), reader.GetString(1), true, await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2)));
            }
        }

        var missing = listed.Where(t => !found.Any(f => f.Schema == t.Schema && f.Table == t.Table)).Select(t => new PublishableTable(t.Schema, t.Table, false, null));
        return [.. found, .. missing];
    }

    /// <summary>The tables a publication streams changes of: each published table, a partitioned one as its leaves.</summary>
    public static async Task<HashSet<string>> LeavesAsync(NpgsqlDataSource source, string publication, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            leaves.Add(reader.GetString(0));
        }

        return leaves;
    }
}
