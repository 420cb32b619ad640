using System.Text;
using Npgsql;

namespace Cdc.Verdict.Internal;

/// <summary>Reads <c>COPY ... TO STDOUT</c> text output into rows sorted by key (ordinal: the same order on every server).</summary>
internal static class CopyRows
{
    public static async Task<List<CopyRow>> ReadAsync(NpgsqlConnection connection, string copy, int keyColumns, CancellationToken cancellationToken)
    {
        var rows = new List<CopyRow>();
        using (var reader = await connection.BeginTextExportAsync(copy, cancellationToken))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var fields = line.Split('\t').Select(Field).ToArray();
                var key = fields[..keyColumns].Select(k => k ?? throw new InvalidOperationException("a key column is NULL")).ToArray();
                rows.Add(new CopyRow(key, fields));
            }
        }

        rows.Sort(CopyRow.CompareKeys);
        return rows;
    }

    /// <summary>One field of COPY's text format: <c>\N</c> is NULL, backslash escapes the rest.</summary>
    public static string? Field(string text)
    {
        if (text == "\\N")
        {
            return null;
        }

        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var value = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                value.Append(text[i]);
                continue;
            }

            value.Append(text[++i] switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\v',
                var c => c,
            });
        }

        return value.ToString();
    }
}
