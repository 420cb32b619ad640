using System.Security.Cryptography;
using System.Text;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Json;

public class ToastPlaceholderTests
{
    private static readonly string[] ToastedColumns = ["body", "payload", "meta", "attrs", "tags", "scores", "big_ids", "refs", "days", "blobs"];

    private static readonly (string Column, string PgType)[] DocumentsDdl =
    [
        ("id", "integer"), ("title", "text"), ("body", "text"), ("payload", "bytea"), ("meta", "jsonb"), ("attrs", "hstore"),
        ("tags", "text[]"), ("scores", "integer[]"), ("big_ids", "bigint[]"), ("refs", "uuid[]"), ("days", "date[]"), ("blobs", "bytea[]"),
    ];

    [Fact]
    public void Decode_ToastedColumnsWithSchema_EveryFormIsUnavailable()
    {
        var after = GoldenFixture.Load("toast.schema.json").Decode()[0].Event!.After;

        Assert.Equal("renamed", RowAssert.Value(after, "title"));
        foreach (var column in ToastedColumns)
        {
            Assert.Same(Unavailable.Value, RowAssert.Value(after, column));
        }
    }

    [Fact]
    public void Decode_PlaceholderTextInsideData_IsKeptAsData()
    {
        var after = GoldenFixture.Load("toast.schema.json").Decode()[1].Event!.After;

        Assert.Equal("short", RowAssert.Value(after, "body"));
        Assert.Equal(new object?[] { Unavailable.Placeholder, "second" }, RowAssert.Array(after, "tags"));
        Assert.Equal(new object?[] { 95, 95 }, RowAssert.Array(after, "scores"));
        Assert.Empty(RowAssert.Array(after, "big_ids"));
        Assert.Equal(new object?[] { new DateOnly(1970, 1, 1), new DateOnly(1969, 12, 31) }, RowAssert.Array(after, "days"));
        Assert.Equal(2, RowAssert.Array(after, "blobs").Count);
        Assert.Equal("{\"k\":\"v\"}", RowAssert.Value(after, "attrs"));
    }

    [Fact]
    public void Decode_ToastedColumnsWithoutSchema_TextPlaceholderKnownAtOnceTheRestAfterWithSchema()
    {
        var after = GoldenFixture.Load("toast.noschema.json").Decode()[0].Event!.After!;
        Assert.Same(Unavailable.Value, RowAssert.Value(after, "body"));
        Assert.Same(Unavailable.Value, RowAssert.Value(after, "meta"));

        var resolved = after.WithSchema(new ConnectSchema
        {
            Type = ConnectType.Struct,
            Fields = DocumentsDdl.Select(c => new ConnectField(c.Column, PostgresTypeMapping.SchemaFor(c.PgType, ValueHandling.DebeziumDefaults))).ToList(),
        });

        foreach (var column in ToastedColumns)
        {
            Assert.Same(Unavailable.Value, RowAssert.Value(resolved, column));
        }
    }

    [Fact]
    public void Decode_HstoreMapMode_PlaceholderMapIsUnavailableRealMapIsNot()
    {
        var records = GoldenFixture.Load("toast-hstore-map.schema.json").Decode();

        Assert.Same(Unavailable.Value, RowAssert.Value(records[0].Event!.After, "attrs"));
        Assert.Equal(
            new[] { new KeyValuePair<object?, object?>("a", "1"), new KeyValuePair<object?, object?>("b", null) },
            Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<object?, object?>>>(RowAssert.Value(records[1].Event!.After, "attrs")));
    }

    [Fact]
    public void UuidPlaceholder_IsJavaNameUuidFromBytesOfThePlaceholder()
    {
#pragma warning disable CA5351 // Recomputing Java's type-3 UUID, not security.
        var md5 = MD5.HashData(Encoding.UTF8.GetBytes(Unavailable.Placeholder));
#pragma warning restore CA5351
        md5[6] = (byte)((md5[6] & 0x0f) | 0x30);
        md5[8] = (byte)((md5[8] & 0x3f) | 0x80);

        Assert.Equal("b68a35a7-17ad-35b3-af2a-ae46edb4545a", Convert.ToHexStringLower(md5).Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-"));
        Assert.Equal("X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==", Convert.ToBase64String(Encoding.UTF8.GetBytes(Unavailable.Placeholder)));
    }
}
