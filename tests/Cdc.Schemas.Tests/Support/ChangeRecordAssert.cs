using System.Collections;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

/// <summary>Deep equality of decoded records: values (arrays, maps, bytes, rows) and column schemas.</summary>
internal static class ChangeRecordAssert
{
    public static void Equal(ChangeRecord expected, ChangeRecord actual, string where)
    {
        Row(expected.Key, actual.Key, where + ": key");
        Assert.Equal(expected.IsTombstone, actual.IsTombstone);
        if (expected.Event is not { } e)
        {
            return;
        }

        var a = actual.Event!;
        Assert.Equal(e.Operation, a.Operation);
        Assert.Equal(e.TsMs, a.TsMs);
        Assert.Equal(e.TsUs, a.TsUs);
        Assert.Equal(e.TsNs, a.TsNs);
        Assert.Equal(e.Source, a.Source);
        Assert.Equal(e.Transaction, a.Transaction);
        Assert.Equal(e.Message?.Prefix, a.Message?.Prefix);
        Assert.Equal(e.Message?.Content, a.Message?.Content);
        Row(e.Before, a.Before, where + ": before");
        Row(e.After, a.After, where + ": after");
    }

    public static void Row(RowImage? expected, RowImage? actual, string where)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{where}: one row is null");
            return;
        }

        Assert.Equal(expected.Select(c => c.Name), actual.Select(c => c.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            var path = $"{where}.{expected[i].Name}";
            Value(expected[i].Value, actual[i].Value, path);
            Schema(expected[i].Schema, actual[i].Schema, path);
        }
    }

    public static void Schema(ConnectSchema? expected, ConnectSchema? actual, string where)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{where}: one schema is null");
            return;
        }

        Assert.True(expected.Type == actual.Type, $"{where}: type {expected.Type} != {actual.Type}");
        Assert.True(expected.Name == actual.Name, $"{where}: name {expected.Name} != {actual.Name}");
        Assert.True(expected.Optional == actual.Optional, $"{where}: optional {expected.Optional} != {actual.Optional}");
        Assert.True(expected.Version == actual.Version, $"{where}: version {expected.Version} != {actual.Version}");
        Assert.True(
            expected.Parameters.OrderBy(p => p.Key).SequenceEqual(actual.Parameters.OrderBy(p => p.Key)),
            $"{where}: parameters {string.Join(",", expected.Parameters)} != {string.Join(",", actual.Parameters)}");
        Assert.True(Equals(expected.DefaultValue, actual.DefaultValue), $"{where}: default {expected.DefaultValue} != {actual.DefaultValue}");
        Assert.Equal(expected.Fields.Select(f => f.Name), actual.Fields.Select(f => f.Name));
        for (var i = 0; i < expected.Fields.Count; i++)
        {
            Schema(expected.Fields[i].Schema, actual.Fields[i].Schema, $"{where}.{expected.Fields[i].Name}");
        }

        Schema(expected.Items, actual.Items, where + ".items");
        Schema(expected.Keys, actual.Keys, where + ".keys");
        Schema(expected.Values, actual.Values, where + ".values");
    }

    public static void Value(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{where}: expected null, got {actual}");
                return;
            case RowImage row:
                Row(row, Assert.IsType<RowImage>(actual), where);
                return;
            case byte[] bytes:
                Assert.True(actual is byte[] b && b.AsSpan().SequenceEqual(bytes), $"{where}: bytes differ");
                return;
            case DateTimeOffset timestamp:
                var other = Assert.IsType<DateTimeOffset>(actual);
                Assert.True(timestamp.UtcTicks == other.UtcTicks, $"{where}: {timestamp:O} != {other:O}");
                return;
            case IList list when expected is not string:
                var actualList = Assert.IsAssignableFrom<IList>(actual);
                Assert.True(list.Count == actualList.Count, $"{where}: {list.Count} elements != {actualList.Count}");
                for (var i = 0; i < list.Count; i++)
                {
                    Value(list[i], actualList[i], $"{where}[{i}]");
                }

                return;
            case System.Text.Json.JsonElement raw:
                var actualRaw = Assert.IsType<System.Text.Json.JsonElement>(actual);
                Assert.True(System.Text.Json.JsonElement.DeepEquals(raw, actualRaw), $"{where}: {raw.GetRawText()} != {actualRaw.GetRawText()}");
                return;
            case KeyValuePair<object?, object?> pair:
                var actualPair = Assert.IsType<KeyValuePair<object?, object?>>(actual);
                Value(pair.Key, actualPair.Key, where + ".key");
                Value(pair.Value, actualPair.Value, where + ".value");
                return;
            default:
                Assert.True(expected.GetType() == actual?.GetType(), $"{where}: {expected.GetType().Name} != {actual?.GetType().Name}");
                Assert.True(expected.Equals(actual), $"{where}: {expected} != {actual}");
                return;
        }
    }
}
