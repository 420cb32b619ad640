using System.Collections;
using System.Text.Json;
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

    /// <summary>Takes ownership of <paramref name="columns"/> without copying (decoder hot path).</summary>
    internal RowImage(Column[] columns, bool owned)
    {
        _ = owned;
        _columns = columns;
    }

    public int Count => _columns.Length;

    public Column this[int index] => _columns[index];

    /// <summary>True when the values are raw JSON awaiting a schema (a message without <c>schemas.enable</c>).</summary>
    public bool IsSchemaless
    {
        get
        {
            foreach (var c in _columns)
            {
                if (c.Schema is null)
                {
                    return true;
                }
            }

            return false;
        }
    }

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
    /// <exception cref="EventDecodeException">A value does not fit its field's schema; the message names the column.</exception>
    public RowImage WithSchema(ConnectSchema structSchema)
    {
        ArgumentNullException.ThrowIfNull(structSchema);
        var resolved = new Column[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            resolved[i] = c.Schema is not null || structSchema.FindField(c.Name) is not { } field
                ? c
                : new Column(c.Name, c.Value is JsonElement raw ? ConnectValue.FromJson(raw, field.Schema, c.Name) : c.Value, field.Schema);
        }

        return new RowImage(resolved, owned: true);
    }

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _columns.GetEnumerator();
}
