using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Cdc.Store.Writes;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Store.Tests;

/// <summary>
/// The guarded write under a repair's rule (<see cref="WriteGuard.Unchanged"/>): a row is written only over the version
/// it carries, which it keeps; the stream's rule (<see cref="WriteGuard.Newer"/>) is the sink's, tested with its apply.
/// </summary>
public sealed class GuardedWriteTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly MetadataTables Metadata = new("cdc");

    [Fact]
    public async Task An_unchanged_write_replaces_only_the_version_it_carries_and_keeps_it()
    {
        await using var store = await StoreAsync(DeleteMode.Hard);

        Assert.Equal(1, await UpsertAsync(store, DeleteMode.Hard, 1, "A", 10, 11));
        Assert.Equal(0, await UpsertAsync(store, DeleteMode.Hard, 2, "B", 19, 19));
        Assert.Equal(1, await UpsertAsync(store, DeleteMode.Hard, 3, "C", null, null));
        Assert.Equal(1, await UpsertAsync(store, DeleteMode.Hard, 4, "D", 0, 0));
        Assert.Equal(0, await UpsertAsync(store, DeleteMode.Hard, 1, "again", 0, 0));

        Assert.Equal(["1|A|10|11", "2|b|20|21", "3|C|NULL|NULL", "4|D|0|0"], await DatabaseRows.ReadAsync(store, "SELECT id, v, _cdc_commit_lsn, _cdc_event_lsn FROM public.t ORDER BY id"));
    }

    [Fact]
    public async Task An_unchanged_delete_removes_only_an_unchanged_row_and_leaves_no_tombstone()
    {
        await using var store = await StoreAsync(DeleteMode.Hard);

        Assert.Equal(1, await DeleteAsync(store, DeleteMode.Hard, 2, 20, 21));
        Assert.Equal(0, await DeleteAsync(store, DeleteMode.Hard, 1, 1, 1));

        Assert.Equal(["1", "3"], await DatabaseRows.ReadAsync(store, "SELECT id FROM public.t ORDER BY id"));
        Assert.Empty(await DatabaseRows.ReadAsync(store, "SELECT row_key FROM cdc.tombstones"));
    }

    [Fact]
    public async Task With_soft_deletes_an_unchanged_delete_flags_the_row_and_a_write_clears_the_flag()
    {
        await using var store = await StoreAsync(DeleteMode.Soft);

        Assert.Equal(1, await DeleteAsync(store, DeleteMode.Soft, 2, 20, 21));
        Assert.Equal(0, await DeleteAsync(store, DeleteMode.Soft, 1, 9, 9));
        Assert.Equal(1, await UpsertAsync(store, DeleteMode.Soft, 2, "back", 20, 21));

        Assert.Equal(["1|a|False", "2|back|False", "3|c|False"], await DatabaseRows.ReadAsync(store, "SELECT id, v, _cdc_deleted FROM public.t ORDER BY id"));
    }

    private async Task<NpgsqlDataSource> StoreAsync(DeleteMode mode)
    {
        var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await Metadata.EnsureAsync(store, CancellationToken.None);
        await using var command = store.CreateCommand($"""
            CREATE TABLE public.t (id int PRIMARY KEY, v text, _cdc_commit_lsn bigint, _cdc_event_lsn bigint{(mode == DeleteMode.Soft ? ", _cdc_deleted boolean NOT NULL DEFAULT false" : "")});
            INSERT INTO public.t (id, v, _cdc_commit_lsn, _cdc_event_lsn) VALUES (1, 'a', 10, 11), (2, 'b', 20, 21), (3, 'c', NULL, NULL)
            """);
        await command.ExecuteNonQueryAsync();
        return store;
    }

    private static Task<int> UpsertAsync(NpgsqlDataSource store, DeleteMode mode, int id, string v, long? commit, long? @event) =>
        WriteAsync(store, mode, ChangeKind.Upsert, ["id", "v"], "($2::int, $3::text, $4::bigint, $5::bigint)", "(id, v, _cdc_commit_lsn, _cdc_event_lsn)", id, v, commit, @event);

    private static Task<int> DeleteAsync(NpgsqlDataSource store, DeleteMode mode, int id, long? commit, long? @event) =>
        WriteAsync(store, mode, ChangeKind.Delete, ["id"], "($2::int, $3::bigint, $4::bigint)", "(id, _cdc_commit_lsn, _cdc_event_lsn)", id, commit, @event);

    private static async Task<int> WriteAsync(NpgsqlDataSource store, DeleteMode mode, ChangeKind kind, string[] columns, string values, string names, params object?[] parameters)
    {
        var target = new TableTarget("public", "t", new HashSet<string>(), new HashSet<string>(), new Dictionary<string, string>(), mode, TruncateMode.Apply, true, true);
        var sql = new GuardedWrite(Metadata).Write(target, ["id"], kind, columns, new WriteSource($"(VALUES {values}) AS s {names}", "true"), WriteGuard.Unchanged);
        await using var command = store.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.QualifiedName });
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value, NpgsqlDbType = parameter is string ? NpgsqlTypes.NpgsqlDbType.Text : parameter is int ? NpgsqlTypes.NpgsqlDbType.Integer : NpgsqlTypes.NpgsqlDbType.Bigint });
        }

        return await command.ExecuteNonQueryAsync();
    }
}
