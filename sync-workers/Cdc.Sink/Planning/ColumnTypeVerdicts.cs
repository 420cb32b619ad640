using System.Runtime.CompilerServices;
using Cdc.Schemas.Connect;
using Cdc.Store.Catalog;

namespace Cdc.Sink.Planning;

/// <summary>
/// One batch's answers of <see cref="ColumnWidening.WidenedType"/> and <see cref="ColumnWidening.RetypedType"/>, computed
/// once per store column and event field schema rather than once per event: the events of one writer schema share
/// their field schemas. Both answers depend on nothing else, so reusing them within the batch changes no verdict.
/// </summary>
internal sealed class ColumnTypeVerdicts
{
    private readonly Dictionary<(TableColumn Column, ConnectSchema Schema), string?> _widened = new(ByReference.Instance);
    private readonly Dictionary<(TableColumn Column, ConnectSchema Schema), string?> _retyped = new(ByReference.Instance);

    /// <summary><see cref="ColumnWidening.WidenedType"/> of the column's type for the schema.</summary>
    public string? Widened(TableColumn column, ConnectSchema schema)
    {
        if (!_widened.TryGetValue((column, schema), out var type))
        {
            type = ColumnWidening.WidenedType(column.PgType, schema);
            _widened[(column, schema)] = type;
        }

        return type;
    }

    /// <summary><see cref="ColumnWidening.RetypedType"/> of the column's type and category for the schema.</summary>
    public string? Retyped(TableColumn column, ConnectSchema schema)
    {
        if (!_retyped.TryGetValue((column, schema), out var type))
        {
            type = ColumnWidening.RetypedType(column.PgType, column.Category, schema);
            _retyped[(column, schema)] = type;
        }

        return type;
    }

    // Both are records: their value equality would hash whole schemas per lookup. The same objects are what repeats.
    private sealed class ByReference : IEqualityComparer<(TableColumn Column, ConnectSchema Schema)>
    {
        public static readonly ByReference Instance = new();

        public bool Equals((TableColumn Column, ConnectSchema Schema) x, (TableColumn Column, ConnectSchema Schema) y) =>
            ReferenceEquals(x.Column, y.Column) && ReferenceEquals(x.Schema, y.Schema);

        public int GetHashCode((TableColumn Column, ConnectSchema Schema) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Column), RuntimeHelpers.GetHashCode(obj.Schema));
    }
}
