using Cdc.Benchmarks.Sink;

namespace Cdc.Dev.Demo;

/// <summary>
/// Drift made behind the pipeline's back in one store, the kinds operators meet: a lost message (a row missing), a bad
/// manual fix (a row changed), a restore that brought back a row the primary no longer has (a row extra).
/// </summary>
internal static class Drift
{
    public static async Task<string> InjectAsync(BenchDatabase store, bool soft, CancellationToken ct)
    {
        var live = soft ? " AND NOT _cdc_deleted" : "";
        await store.ExecuteAsync(
            $"""
            DELETE FROM public.orders WHERE id IN (SELECT id FROM public.orders WHERE true{live} ORDER BY id DESC LIMIT 3);
            UPDATE public.orders SET price = price * 10, status = 'fixed by hand' WHERE id IN (SELECT id FROM public.orders WHERE true{live} ORDER BY id LIMIT 3);
            UPDATE public.order_items SET qty = qty + 100 WHERE (order_id, line) IN (SELECT order_id, line FROM public.order_items ORDER BY order_id LIMIT 2);
            INSERT INTO public.orders (id, account_id, status, side, qty, price, attributes, created_at, updated_at)
            SELECT id + 10000000, account_id, status, side, qty, price, attributes, created_at, updated_at FROM public.orders WHERE true{live} ORDER BY id LIMIT 2;
            """,
            ct);
        return "3 orders deleted (lost messages), 3 orders and 2 order items changed (bad manual fixes), 2 orders that the primary never had inserted (a bad restore)";
    }
}
