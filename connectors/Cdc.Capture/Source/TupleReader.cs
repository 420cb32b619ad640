using Cdc.Schemas;
using Cdc.Schemas.Model;
using Npgsql.Replication.PgOutput;

namespace Cdc.Capture.Source;

/// <summary>Reads a pgoutput tuple (text format) into Connect values, in column order.</summary>
internal static class TupleReader
{
    /// <exception cref="UnsendableRowException">A value has no Debezium form: the whole tuple is read, the rest kept.</exception>
    public static async ValueTask<object?[]> ReadAsync(ReplicationTuple tuple, TableShape shape, CancellationToken cancellationToken)
    {
        var values = new object?[shape.Columns.Count];
        string? unsendable = null;
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            if (i >= values.Length)
            {
                // A column the shape does not know (cannot happen: a Relation message precedes any change in a new shape).
                continue;
            }

            try
            {
                values[i] = value.Kind switch
                {
                    TupleDataKind.Null => null,
                    TupleDataKind.UnchangedToastedValue => Unavailable.Value,
                    _ => ConvertColumn(await value.Get<string>(cancellationToken), shape, i),
                };
            }
            catch (EventDecodeException e)
            {
                unsendable ??= e.Message;
            }

            i++;
        }

        return unsendable is null ? values : throw new UnsendableRowException(shape, values, unsendable);
    }

    /// <exception cref="EventDecodeException">The value has no Debezium form (numeric NaN in precise mode...): names the column.</exception>
    public static object? ConvertColumn(string text, TableShape shape, int column)
    {
        try
        {
            return shape.Columns[column].Convert(text);
        }
        catch (EventDecodeException e)
        {
            throw new EventDecodeException($"{shape.QualifiedName}.{shape.Columns[column].Name}: {e.Message}", e);
        }
    }
}
