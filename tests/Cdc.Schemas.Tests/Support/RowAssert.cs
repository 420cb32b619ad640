using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

internal static class RowAssert
{
    public static object? Value(RowImage? row, string column)
    {
        Assert.NotNull(row);
        Assert.True(row.TryGet(column, out var c), $"column {column} missing");
        return c.Value;
    }

    public static IReadOnlyList<object?> Array(RowImage? row, string column) =>
        Assert.IsAssignableFrom<IReadOnlyList<object?>>(Value(row, column));
}
