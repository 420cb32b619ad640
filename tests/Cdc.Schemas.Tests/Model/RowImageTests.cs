using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Model;

public class RowImageTests
{
    [Fact]
    public void WithSchema_RawColumns_ConvertedTypedAndUnknownKept()
    {
        var typed = new ConnectSchema { Type = ConnectType.Int32 };
        var row = new RowImage(
        [
            new Column("id", 7, typed),
            new Column("at", TestSchemas.Parse("1559033904863769"), null),
            new Column("other", TestSchemas.Parse("\"x\""), null),
            new Column("gone", null, null),
        ]);

        var resolved = row.WithSchema(new ConnectSchema
        {
            Type = ConnectType.Struct,
            Fields =
            [
                new ConnectField("id", new ConnectSchema { Type = ConnectType.String }),
                new ConnectField("at", PostgresTypeMapping.SchemaFor("timestamp without time zone")),
                new ConnectField("gone", PostgresTypeMapping.SchemaFor("text")),
            ],
        });

        Assert.Equal(7, resolved[0].Value);
        Assert.Same(typed, resolved[0].Schema);
        Assert.Equal(new DateTime(2019, 5, 28, 8, 58, 24, 863, 769), resolved[1].Value);
        Assert.IsType<JsonElement>(resolved[2].Value);
        Assert.Null(resolved[2].Schema);
        Assert.Null(resolved[3].Value);
        Assert.NotNull(resolved[3].Schema);
        Assert.True(resolved.IsSchemaless);
        Assert.True(row.IsSchemaless);
    }

    [Fact]
    public void WithSchema_ValueDoesNotFit_ErrorNamesTheColumn()
    {
        var row = new RowImage([new Column("price", TestSchemas.Parse("\"oops!\""), null)]);

        var error = Assert.Throws<EventDecodeException>(() => row.WithSchema(new ConnectSchema
        {
            Type = ConnectType.Struct,
            Fields = [new ConnectField("price", PostgresTypeMapping.SchemaFor("numeric(10,2)", ValueHandling.DebeziumDefaults))],
        }));

        Assert.Equal("price: invalid base64 or numeric text for org.apache.kafka.connect.data.Decimal", error.Message);
    }
}
