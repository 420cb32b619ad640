using Cdc.Store.Catalog;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Store.Tests;

/// <summary>The one catalog reader and its key rule, as the connector, the sink and the reconciler all read a table.</summary>
public sealed class StoreCatalogTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_key_is_the_primary_key_else_the_replica_identity_else_the_first_unique_index_of_not_null_columns()
    {
        await using var database = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await ExecuteAsync(database, """
            CREATE TABLE pk (a int NOT NULL, b int NOT NULL, c int NOT NULL, PRIMARY KEY (b, a));
            CREATE UNIQUE INDEX pk_a_unique ON pk (c);
            CREATE TABLE ri (a int NOT NULL, b int NOT NULL);
            CREATE UNIQUE INDEX ri_a ON ri (a);
            CREATE UNIQUE INDEX ri_b ON ri (b);
            ALTER TABLE ri REPLICA IDENTITY USING INDEX ri_b;
            CREATE TABLE named (a int NOT NULL, b int NOT NULL, n int);
            CREATE UNIQUE INDEX z_first_made ON named (b);
            CREATE UNIQUE INDEX a_by_name ON named (a);
            CREATE UNIQUE INDEX a_nullable ON named (n);
            CREATE TABLE none (a int, b int NOT NULL, c int NOT NULL);
            CREATE UNIQUE INDEX none_nullable ON none (a);
            CREATE UNIQUE INDEX none_partial ON none (b) WHERE b > 0;
            CREATE UNIQUE INDEX none_expression ON none ((c + 1));
            CREATE TABLE deferred (a int NOT NULL, CONSTRAINT deferred_a UNIQUE (a) DEFERRABLE);
            """);

        Assert.Equal(["b", "a"], (await ReadAsync(database, "pk")).KeyColumns);
        Assert.Equal(["b"], (await ReadAsync(database, "ri")).KeyColumns);
        Assert.Equal(["a"], (await ReadAsync(database, "named")).KeyColumns);
        Assert.Empty((await ReadAsync(database, "none")).KeyColumns);
        Assert.Empty((await ReadAsync(database, "deferred")).KeyColumns);
    }

    [Fact]
    public async Task Columns_carry_what_comparing_them_needs_and_a_domain_its_base_type()
    {
        await using var database = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await ExecuteAsync(database, """
            CREATE DOMAIN code AS varchar(8);
            CREATE DOMAIN short_code AS code CHECK (length(VALUE) < 4);
            CREATE TABLE t (id bigint PRIMARY KEY, price numeric(12,2), s short_code, tags text[], at timestamptz NOT NULL)
            """);

        var table = await ReadAsync(database, "t");

        Assert.Equal(
            ["id bigint bigint N b notnull", "price numeric(12,2) numeric N b", "s short_code short_code S d collatable", "tags text[] text[] A b collatable", "at timestamp with time zone timestamp with time zone D b notnull"],
            table.Columns.Select(c => $"{c.Name} {c.PgType} {c.BaseType} {c.Category} {c.TypeKind}{(c.NotNull ? " notnull" : "")}{(c.Collatable ? " collatable" : "")}"));
        var domainBase = table.Find("s")!.DomainBase!;
        Assert.Equal(("character varying(8)", "character varying", 'S'), (domainBase.PgType, domainBase.BaseType, domainBase.Category));
        Assert.Same(table.Find("id"), table.Find("id")!.Underlying);
        Assert.False(table.IsPartitioned);
        Assert.Null(await StoreCatalog.ReadAsync(database, "public", "nowhere", CancellationToken.None));
    }

    [Fact]
    public async Task Partitioned_tables_are_listed_as_their_leaves()
    {
        await using var database = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await ExecuteAsync(database, """
            CREATE TABLE plain (id int PRIMARY KEY);
            CREATE TABLE p (id int, region text, y int, PRIMARY KEY (id, region, y)) PARTITION BY LIST (region);
            CREATE TABLE p_eu PARTITION OF p FOR VALUES IN ('eu') PARTITION BY RANGE (y);
            CREATE TABLE p_eu_old PARTITION OF p_eu FOR VALUES FROM (0) TO (2000);
            CREATE TABLE p_eu_new PARTITION OF p_eu FOR VALUES FROM (2000) TO (3000);
            CREATE TABLE p_us PARTITION OF p FOR VALUES IN ('us');
            """);

        Assert.True((await ReadAsync(database, "p")).IsPartitioned);
        Assert.Equal(["id", "region", "y"], (await ReadAsync(database, "p_eu_old")).KeyColumns);
        Assert.Equal(["p_eu_new", "p_eu_old", "p_us"], (await StoreCatalog.LeavesAsync(database, "public", "p", CancellationToken.None)).Select(t => t.Table));
        Assert.Empty(await StoreCatalog.LeavesAsync(database, "public", "plain", CancellationToken.None));
        Assert.Equal(["p_eu_new", "p_eu_old", "p_us", "plain"], (await StoreCatalog.TablesAsync(database, "public", CancellationToken.None)).Select(t => t.Table));
    }

    private static async Task<TableInfo> ReadAsync(NpgsqlDataSource database, string table) =>
        await StoreCatalog.ReadAsync(database, "public", table, CancellationToken.None) ?? throw new InvalidOperationException($"no table {table}");

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
