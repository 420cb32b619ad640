using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Avro.Internal;

/// <summary>
/// A decoded Envelope (or MessageValue) struct to a <see cref="ChangeEvent"/>, with the same rules as the JSON
/// path's EnvelopeReader and SourceReader: unknown fields ignored, a null snapshot is "false", op codes c/u/d/r/t/m.
/// </summary>
internal static class AvroEnvelopeMapper
{
    public static ChangeEvent ToEvent(RowImage envelope)
    {
        var operation = Operation(Get(envelope, "op") ?? throw Missing("op", "the operation code"));
        var source = Get(envelope, "source") as RowImage ?? throw Missing("source", "the source block");
        var before = Row(envelope, "before");
        var after = Row(envelope, "after");
        if (after is null && operation is ChangeOperation.Create or ChangeOperation.Update or ChangeOperation.Read)
        {
            throw Missing("after", $"the row image of an op '{Get(envelope, "op")}' event");
        }

        return new ChangeEvent
        {
            Operation = operation,
            Before = before,
            After = after,
            Source = Source(source),
            TsMs = Get(envelope, "ts_ms") as long?,
            TsUs = Get(envelope, "ts_us") as long?,
            TsNs = Get(envelope, "ts_ns") as long?,
            Transaction = Get(envelope, "transaction") is RowImage transaction ? Transaction(transaction) : null,
            Message = operation == ChangeOperation.Message ? Message(Get(envelope, "message") as RowImage) : null,
        };
    }

    private static ChangeOperation Operation(object op) => op switch
    {
        "c" => ChangeOperation.Create,
        "u" => ChangeOperation.Update,
        "d" => ChangeOperation.Delete,
        "r" => ChangeOperation.Read,
        "t" => ChangeOperation.Truncate,
        "m" => ChangeOperation.Message,
        _ => throw new ValueDecodeError($"unknown op \"{op}\""),
    };

    private static SourceInfo Source(RowImage source)
    {
        var sequence = Text(source, "sequence");
        var lsn = Long(source, "lsn");
        ChangeVersion? version;
        try
        {
            version = SourceSequence.ToChangeVersion(sequence, lsn);
        }
        catch (EventDecodeException error)
        {
            throw new ValueDecodeError(error.Message, error);
        }

        return new SourceInfo
        {
            Version = Text(source, "version"),
            Connector = Text(source, "connector"),
            Name = Text(source, "name"),
            TsMs = Long(source, "ts_ms"),
            TsUs = Long(source, "ts_us"),
            TsNs = Long(source, "ts_ns"),
            Snapshot = Get(source, "snapshot") switch
            {
                string snapshot => snapshot,
                true => "true",
                _ => "false",
            },
            Db = Text(source, "db"),
            Sequence = sequence,
            Schema = Text(source, "schema"),
            Table = Text(source, "table"),
            TxId = Long(source, "txId"),
            Lsn = lsn,
            Xmin = Long(source, "xmin"),
            Origin = Text(source, "origin"),
            OriginLsn = Long(source, "origin_lsn"),
            ChangeVersion = version,
        };
    }

    private static TransactionBlock Transaction(RowImage transaction) =>
        new(
            Text(transaction, "id") ?? throw Missing("transaction.id", "a string"),
            Long(transaction, "total_order") ?? throw Missing("transaction.total_order", "an int64"),
            Long(transaction, "data_collection_order") ?? throw Missing("transaction.data_collection_order", "an int64"));

    private static LogicalMessage Message(RowImage? message)
    {
        if (message is null)
        {
            throw Missing("message", "the message block of an op 'm' event");
        }

        var content = Get(message, "content") switch
        {
            byte[] bytes => bytes,
            Unavailable => AvroToastPlaceholder.Bytes,
            _ => [],
        };
        return new LogicalMessage(Text(message, "prefix") ?? "", content);
    }

    private static RowImage? Row(RowImage envelope, string field) => Get(envelope, field) as RowImage;

    private static object? Get(RowImage row, string field) => row.TryGet(field, out var column) ? column.Value : null;

    private static string? Text(RowImage row, string field) => Get(row, field) switch
    {
        null => null,
        string text => text,
        Unavailable => Unavailable.Placeholder,
        var other => throw Wrong(field, "a string", other),
    };

    private static long? Long(RowImage row, string field) => Get(row, field) switch
    {
        null => null,
        long number => number,
        int number => number,
        var other => throw Wrong(field, "an int64", other),
    };

    private static ValueDecodeError Missing(string field, string expected)
    {
        var error = new ValueDecodeError($"missing {expected}");
        error.PushField(field);
        return error;
    }

    private static ValueDecodeError Wrong(string field, string expected, object actual)
    {
        var error = new ValueDecodeError($"expected {expected}, got {actual.GetType().Name}");
        error.PushField(field);
        return error;
    }
}
