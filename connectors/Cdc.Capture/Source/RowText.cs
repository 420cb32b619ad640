using System.Data.Common;

namespace Cdc.Capture.Source;

/// <summary>Reads the current row of a <c>SELECT col::text, ...</c> (the snapshots).</summary>
internal static class RowText
{
    /// <summary>Each column's text output converted to its Connect value; null stays null.</summary>
    /// <exception cref="UnsendableRowException">A value has no Debezium form; the rest of the row is kept.</exception>
    public static object?[] Values(DbDataReader reader, TableShape shape)
    {
        var values = new object?[shape.Columns.Count];
        string? unsendable = null;
        for (var i = 0; i < values.Length; i++)
        {
            try
            {
                values[i] = Text(reader, i) is { } text ? TupleReader.ConvertColumn(text, shape, i) : null;
            }
            catch (Cdc.Schemas.EventDecodeException e)
            {
                unsendable ??= e.Message;
            }
        }

        return unsendable is null ? values : throw new UnsendableRowException(shape, values, unsendable);
    }

    /// <summary>One column's text, null for SQL NULL.</summary>
    public static string? Text(DbDataReader reader, int ordinal)
    {
#pragma warning disable VSTHRD103 // the row was read by ReadAsync in default (non-sequential) access: it is in memory
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
#pragma warning restore VSTHRD103
    }
}
