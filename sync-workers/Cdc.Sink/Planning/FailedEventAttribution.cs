using System.Globalization;
using System.Text.Json;
using Cdc.Schemas;
using Cdc.Schemas.Model;
using Cdc.Schemas.Transactions;
using Cdc.Store.Mapping;
using Cdc.Store.Transactions;

namespace Cdc.Sink.Planning;

/// <summary>
/// The source transaction event a record that could not be decoded was, read from whatever of it can still be read: its
/// value's <c>transaction</c> block (JSON read leniently, without the schema the decode failed on; else the value as a
/// plain struct, which an Avro record with a readable schema is) and its key. Its transaction then counts it as failed
/// and ends PARTIAL_FAILURE, rather than waiting for it for ever.
/// </summary>
internal static class FailedEventAttribution
{
    /// <returns>Null when nothing of the record names a transaction (not JSON, no readable schema, no block).</returns>
    public static TransactionEvent? Of(IChangeEventDecoder decoder, SinkRecord record)
    {
        if (record.Value is not { } value || TableRouter.IsSideTopic(record.Topic))
        {
            return null;
        }

        var block = FromJson(value) ?? FromStruct(decoder, record.Topic, value);
        if (block is null)
        {
            return null;
        }

        long xid;
        try
        {
            xid = TransactionMetadata.ParseId(block.Value.Id).Xid;
        }
        catch (EventDecodeException)
        {
            return null;
        }

        var key = record.Key is { } k ? KeyFromJson(k) ?? KeyFromStruct(decoder, record.Topic, k) : null;
        return new TransactionEvent(xid, block.Value.TotalOrder, record.Topic, Failed: true, key) { Partition = record.Partition, Offset = record.Offset };
    }

    private static (string Id, long TotalOrder)? FromJson(byte[] value)
    {
        if (Payload(value) is not { } payload)
        {
            return null;
        }

        using (payload)
        {
            var root = Unwrap(payload.RootElement);
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("transaction", out var block) && block.ValueKind == JsonValueKind.Object
                && block.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && block.TryGetProperty("total_order", out var order) && order.TryGetInt64(out var total)
                ? (id.GetString()!, total)
                : null;
        }
    }

    private static string? KeyFromJson(byte[] key)
    {
        if (Payload(key) is not { } payload)
        {
            return null;
        }

        using (payload)
        {
            var root = Unwrap(payload.RootElement);
            return root.ValueKind == JsonValueKind.Object
                ? string.Join(",", root.EnumerateObject().Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
                : null;
        }
    }

    private static (string Id, long TotalOrder)? FromStruct(IChangeEventDecoder decoder, string topic, byte[] value)
    {
        try
        {
            return decoder.DecodeStruct(topic, value).TryGet("transaction", out var column)
                && column.Value is RowImage block
                && block.TryGet("id", out var id) && id.Value is string text
                && block.TryGet("total_order", out var order) && order.Value is not null
                ? (text, Convert.ToInt64(order.Value, CultureInfo.InvariantCulture))
                : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string? KeyFromStruct(IChangeEventDecoder decoder, string topic, byte[] key)
    {
        try
        {
            return string.Join(",", decoder.DecodeStruct(topic, key).Select(c => $"{c.Name}={c.Value}"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static JsonDocument? Payload(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>JsonConverter's envelope with schemas (<c>{"schema":..., "payload":...}</c>), or the payload itself.</summary>
    private static JsonElement Unwrap(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema", out _) && root.TryGetProperty("payload", out var payload) ? payload : root;
}
