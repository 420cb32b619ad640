namespace Cdc.Dev.Demo;

/// <summary>
/// The primary's order-management schema: what the writer applications own. Cdc adds nothing to it but the signal
/// table the source connector watches (Debezium's layout), through which the reconciler asks for re-reads.
/// </summary>
internal static class ShopSchema
{
    public const string Orders = "orders";
    public const string OrderItems = "order_items";
    public const string Accounts = "accounts";
    public const string SignalTable = "public.debezium_signal";

    /// <summary>The captured tables, as <c>schema.table</c>.</summary>
    public static readonly IReadOnlyList<string> Tables = [$"public.{Accounts}", $"public.{Orders}", $"public.{OrderItems}"];

    public const string Ddl = """
        CREATE TABLE public.accounts (
            id          bigint PRIMARY KEY,
            name        text NOT NULL,
            credit_limit numeric(18,2) NOT NULL,
            opened_at   timestamptz NOT NULL
        );
        CREATE TABLE public.orders (
            id          bigint PRIMARY KEY,
            account_id  bigint NOT NULL REFERENCES public.accounts (id),
            status      varchar(20) NOT NULL,
            side        char(1) NOT NULL,
            qty         integer NOT NULL,
            price       numeric(18,4) NOT NULL,
            attributes  jsonb,
            note        text,
            created_at  timestamptz NOT NULL,
            updated_at  timestamptz NOT NULL
        );
        CREATE TABLE public.order_items (
            order_id    bigint NOT NULL REFERENCES public.orders (id) ON DELETE CASCADE,
            line        integer NOT NULL,
            sku         text NOT NULL,
            qty         integer NOT NULL,
            unit_price  numeric(18,4) NOT NULL,
            PRIMARY KEY (order_id, line)
        );
        CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
        """;
}
