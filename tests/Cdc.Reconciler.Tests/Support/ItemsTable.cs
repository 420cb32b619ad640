namespace Cdc.Reconciler.Tests.Support;

/// <summary>
/// A primary table of many types and the store table the sink makes of it (<c>PostgresTypeMapping.ColumnTypeFor</c>:
/// varchar as text, json as jsonb, timestamp as timestamp(6), plus the version columns), filled with the same rows
/// on both sides by one generator.
/// </summary>
internal static class ItemsTable
{
    public const string CreatePrimary = """
        CREATE TABLE public.items (
            id bigint PRIMARY KEY,
            name varchar(40),
            amount numeric(12,2),
            ratio double precision,
            created timestamptz,
            local_ts timestamp,
            doc json,
            tags text[],
            flag boolean,
            note text,
            uid uuid,
            day date)
        """;

    public const string CreateStore = """
        CREATE TABLE public.items (
            id bigint PRIMARY KEY,
            name text,
            amount numeric(12,2),
            ratio double precision,
            created timestamp with time zone,
            local_ts timestamp(6) without time zone,
            doc jsonb,
            tags text[],
            flag boolean,
            note text,
            uid uuid,
            day date,
            _cdc_commit_lsn bigint,
            _cdc_event_lsn bigint)
        """;

    /// <summary>Rows 1..N; the primary writes json with its own spacing, the store jsonb (another text for equal values).</summary>
    public static string Fill(bool primary, int rows) => $"""
        INSERT INTO public.items
        SELECT g,
               CASE WHEN g % 10 = 0 THEN NULL ELSE 'näme ' || g || ' ✓ 日本' END,
               (g * 1.25)::numeric(12,2),
               g / 7.0,
               timestamptz '2024-03-01 12:00:00+02' + g * interval '1 minute 1.5 second',
               timestamp '2024-01-01' + g * interval '1 hour',
               {(primary ? "json_build_object('k', g, 'arr', json_build_array(g, 'x'))" : "jsonb_build_object('k', g, 'arr', jsonb_build_array(g, 'x'))")},
               ARRAY['a' || g, NULL, 'ü'],
               g % 2 = 0,
               CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('x', g % 13) END,
               md5(g::text)::uuid,
               date '2020-01-01' + g
               {(primary ? "" : ", g * 10, g * 10 + 1")}
        FROM generate_series(1, {rows}) g
        """;

    public static async Task CreateAsync(ReconcileBed bed, int rows)
    {
        await bed.OnPrimaryAsync(CreatePrimary);
        await bed.OnPrimaryAsync(Fill(primary: true, rows));
        await bed.OnStoreAsync(CreateStore);
        await bed.OnStoreAsync(Fill(primary: false, rows));
    }
}
