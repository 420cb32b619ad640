using System.Text;

namespace Cdc.Benchmarks.Support;

/// <summary>A plain text table with aligned columns: numbers right-aligned, text left-aligned.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var all = _rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Length).Select(i => all.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var (row, index) in all.Select((r, i) => (r, i)))
        {
            line.Clear();
            for (var i = 0; i < headers.Length; i++)
            {
                var cell = i < row.Length ? row[i] : "";
                var numeric = index > 0 && i > 0 && cell.Length > 0 && cell.Any(char.IsDigit) && cell.All(c => char.IsDigit(c) || c is ',' or '.' or ' ' or '-');
                line.Append(numeric ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])).Append("  ");
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
            if (index == 0)
            {
                text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
            }
        }

        return text.ToString().TrimEnd('\n');
    }
}
