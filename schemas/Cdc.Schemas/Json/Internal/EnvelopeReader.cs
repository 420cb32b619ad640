using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// A Debezium value payload (the Envelope, or MessageValue for <c>op = m</c>) to a <see cref="ChangeEvent"/>.
/// Rows with a struct schema are converted; rows without stay raw (see <see cref="SchemalessRows"/>), cloned
/// first when <paramref name="pooled"/> says the document will be disposed.
/// </summary>
internal static class EnvelopeReader
{
    // Envelope order (before, after, source, transaction, op, ts_ms, ts_us, ts_ns); MessageValue adds message.
    private static readonly FieldMatcher Fields = new("before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns", "message");

    public static ChangeEvent? Read(JsonElement payload, ConnectSchema? schema, bool pooled)
    {
        if (payload.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new ValueDecodeError($"expected the envelope object, got {JsonText.Kind(payload)}");
        }

        JsonElement op = default, before = default, after = default, source = default, transaction = default, message = default;
        long? tsMs = null, tsUs = null, tsNs = null;
        var next = 0;
        foreach (var property in payload.EnumerateObject())
        {
            switch (Fields.Match(property, ref next))
            {
                case 0: before = property.Value; break;
                case 1: after = property.Value; break;
                case 2: source = property.Value; break;
                case 3: transaction = property.Value; break;
                case 4: op = property.Value; break;
                case 5: tsMs = Metadata.Int64(property.Value, "ts_ms"); break;
                case 6: tsUs = Metadata.Int64(property.Value, "ts_us"); break;
                case 7: tsNs = Metadata.Int64(property.Value, "ts_ns"); break;
                case 8: message = property.Value; break;
                default: break;
            }
        }

        var operation = Operation(op);
        if (source.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw Metadata.Missing("source", "the source block");
        }

        var beforeRow = Row(before, schema, "before", pooled);
        var afterRow = Row(after, schema, "after", pooled);
        if (afterRow is null && operation is ChangeOperation.Create or ChangeOperation.Update or ChangeOperation.Read)
        {
            throw Metadata.Missing("after", $"the row image of an op '{op.GetString()}' event");
        }

        return new ChangeEvent
        {
            Operation = operation,
            Before = beforeRow,
            After = afterRow,
            Source = SourceReader.Read(source),
            TsMs = tsMs,
            TsUs = tsUs,
            TsNs = tsNs,
            Transaction = Transaction(transaction),
            Message = operation == ChangeOperation.Message ? Message(message) : null,
        };
    }

    private static ChangeOperation Operation(JsonElement op)
    {
        if (op.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw Metadata.Missing("op", "the operation code");
        }

        if (op.ValueKind != JsonValueKind.String)
        {
            throw Metadata.Wrong("op", "a string", op);
        }

        return op.ValueEquals("c"u8) ? ChangeOperation.Create
            : op.ValueEquals("u"u8) ? ChangeOperation.Update
            : op.ValueEquals("d"u8) ? ChangeOperation.Delete
            : op.ValueEquals("r"u8) ? ChangeOperation.Read
            : op.ValueEquals("t"u8) ? ChangeOperation.Truncate
            : op.ValueEquals("m"u8) ? ChangeOperation.Message
            : throw new ValueDecodeError($"unknown op \"{op.GetString()}\"");
    }

    private static RowImage? Row(JsonElement row, ConnectSchema? envelope, string field, bool pooled)
    {
        if (row.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return envelope?.FindField(field)?.Schema is { Type: ConnectType.Struct } rowSchema
                ? JsonValueReader.ReadStruct(row, rowSchema)
                : SchemalessRows.Read(pooled ? row.Clone() : row);
        }
        catch (ValueDecodeError error)
        {
            error.PushField(field);
            throw;
        }
    }

    private static TransactionBlock? Transaction(JsonElement transaction)
    {
        if (transaction.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (transaction.ValueKind != JsonValueKind.Object)
        {
            throw Metadata.Wrong("transaction", "an object", transaction);
        }

        try
        {
            var id = transaction.TryGetProperty("id"u8, out var idElement) ? Metadata.String(idElement, "id") : null;
            return new TransactionBlock(
                id ?? throw Metadata.Missing("id", "a string"),
                Metadata.RequiredInt64(transaction, "total_order"),
                Metadata.RequiredInt64(transaction, "data_collection_order"));
        }
        catch (ValueDecodeError error)
        {
            error.PushField("transaction");
            throw;
        }
    }

    // content is bytes (binary.handling.mode=bytes or base64 both put base64 text on the wire).
    private static LogicalMessage Message(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw message.ValueKind == JsonValueKind.Undefined
                ? Metadata.Missing("message", "the message block of an op 'm' event")
                : Metadata.Wrong("message", "an object", message);
        }

        try
        {
            var prefix = message.TryGetProperty("prefix"u8, out var prefixElement) ? Metadata.String(prefixElement, "prefix") : null;
            byte[] content = [];
            if (message.TryGetProperty("content"u8, out var contentElement) && contentElement.ValueKind != JsonValueKind.Null)
            {
                if (contentElement.ValueKind != JsonValueKind.String || !contentElement.TryGetBytesFromBase64(out content!))
                {
                    throw Metadata.Wrong("content", "base64 bytes", contentElement);
                }
            }

            return new LogicalMessage(prefix ?? "", content);
        }
        catch (ValueDecodeError error)
        {
            error.PushField("message");
            throw;
        }
    }
}
