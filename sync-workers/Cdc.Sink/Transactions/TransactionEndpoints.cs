using System.Text.Json;
using Cdc.Common.Postgres;
using Cdc.Store.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Cdc.Sink.Transactions;

/// <summary>
/// The sink's HTTP answers beside <c>/metrics</c>: <c>GET /transactions/{id or LSN}</c> (what <c>cdc txn</c> prints for
/// this subsystem; 404 when unknown) and <c>GET /wait?lsn=L&amp;timeout=T</c> (the freshness barrier: 200 reached, 409
/// reached with partial failures, 504 timed out, 400 a bad request).
/// </summary>
public static class TransactionEndpoints
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static void Map(IEndpointRouteBuilder endpoints, string subsystem, NpgsqlDataSource store, TransactionStore transactions)
    {
        endpoints.MapGet("/transactions/{id}", async context =>
        {
            var id = Uri.UnescapeDataString((string)context.Request.RouteValues["id"]!);
            if (!TransactionQuery.TryParse(id, out var query))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, $"'{id}' is not {TransactionQuery.Expected}");
                return;
            }

            var status = await transactions.FindAsync(store, query.Xid, query.Lsn, context.RequestAborted);
            await JsonAsync(context, status is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, json => TransactionJson.Write(json, subsystem, status));
        });
        endpoints.MapGet("/wait", async context =>
        {
            if (!PgLsn.TryParse(context.Request.Query["lsn"], out var lsn))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, "lsn= must be an LSN such as 0/1A2B3C4");
                return;
            }

            var timeout = DefaultTimeout;
            if (context.Request.Query["timeout"] is { Count: > 0 } t && (!TimeSpan.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out timeout) || timeout < TimeSpan.Zero))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, "timeout= must be a TimeSpan such as 00:00:10");
                return;
            }

            var result = await FreshnessBarrier.WaitAsync(subsystem, store, transactions, lsn, timeout, TimeProvider.System, context.RequestAborted);
            var status = !result.Reached ? StatusCodes.Status504GatewayTimeout : result.Failed.Count > 0 ? StatusCodes.Status409Conflict : StatusCodes.Status200OK;
            await JsonAsync(context, status, json => TransactionJson.Write(json, result));
        });
    }

    private static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
