using System.Collections;
using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Model;

/// <summary>An ordered row (a <c>before</c>, <c>after</c> or key struct).</summary>
public sealed class RowImage : IReadOnlyList<Column>
{
    private readonly Column[] _columns;

    public RowImage(IEnumerable<Column> columns)
    {
        _columns = columns.ToArray();
    }

    public int Count => _columns.Length;

    public Column this[int index] => _columns[index];

    /// <summary>True when the values are raw JSON awaiting a schema (a message without <c>schemas.enable</c>).</summary>
    public bool IsSchemaless => _columns.Any(c => c.Schema is null);

    public bool TryGet(string name, out Column column)
    {
        foreach (var c in _columns)
        {
            if (c.Name == name)
            {
                column = c;
                return true;
            }
        }

        column = default;
        return false;
    }

    /// <summary>
    /// Resolves raw JSON values against a struct schema (used for schemaless messages, with a schema derived
    /// from the target table). Fields already typed are kept; fields the schema lacks keep a null schema.
    /// </summary>
    public RowImage WithSchema(ConnectSchema structSchema) =>
        new(_columns.Select(c => c.Schema is not null || structSchema.FindField(c.Name) is not { } field
            ? c
            : new Column(c.Name, ConnectValue.FromJson(c.Value, field.Schema), field.Schema)));

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _columns.GetEnumerator();
}
