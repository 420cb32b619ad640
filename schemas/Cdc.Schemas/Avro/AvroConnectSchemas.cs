using Cdc.Schemas.Avro.Internal;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Connect.Internal;
using AvroSchema = global::Avro.Schema;

namespace Cdc.Schemas.Avro;

/// <summary>Converts between Kafka Connect schemas and Avro schemas as Confluent's AvroData does (both ways).</summary>
public static class AvroConnectSchemas
{
    /// <summary>The Connect schema an Avro writer schema stands for (AvroData.toConnectSchema).</summary>
    /// <exception cref="EventDecodeException">The schema uses Avro features Connect cannot represent.</exception>
    public static ConnectSchema ToConnect(AvroSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            return AvroNodeBuilder.Build(schema).Connect;
        }
        catch (ValueDecodeError error)
        {
            throw new EventDecodeException(error.Describe("schema"), error);
        }
    }

    /// <summary>As <see cref="ToConnect(AvroSchema)"/> for schema text, parsed as leniently as Java Avro parses it.</summary>
    /// <exception cref="EventDecodeException">Not an Avro schema, or one Connect cannot represent.</exception>
    public static ConnectSchema ToConnect(string avroJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(avroJson);
        try
        {
            return ToConnect(LenientAvroSchema.Parse(avroJson));
        }
        catch (Exception error) when (error is global::Avro.AvroException or Newtonsoft.Json.JsonException or System.Text.Json.JsonException)
        {
            throw new EventDecodeException($"not a valid Avro schema: {error.Message}", error);
        }
    }

    /// <summary>
    /// The Avro schema (JSON text) AvroConverter registers for a Connect schema (AvroData.fromConnectSchema):
    /// named structs become records split at the last dot into namespace and name, optional schemas unions with
    /// null, and logical names and parameters <c>connect.*</c> properties.
    /// </summary>
    public static string ToAvroJson(ConnectSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return AvroSchemaWriter.Write(schema);
    }
}
