using Cdc.Common.Configuration;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Sink.Configuration;

namespace Cdc.Sink.Tests.Configuration;

public sealed class SinkFormatConfigurationTests
{
    private static readonly string[] Valid = ["--bootstrap-servers", "127.0.0.1:9092", "--store", "Host=localhost;Database=risk", "--topics", "a.public.orders"];

    [Fact]
    public void Load_NoFormat_JsonDecoder()
    {
        var options = SinkConfiguration.Load(Valid);

        Assert.False(options.IsAvro);
        Assert.IsType<DebeziumJsonDecoder>(SinkHost.CreateDecoder(options).Decoder);
    }

    [Fact]
    public void Load_AvroWithRegistry_AvroDecoderWithTheUrl()
    {
        var options = SinkConfiguration.Load([.. Valid, "--format", "avro", "--schema-registry", "http://registry:8081"]);

        Assert.True(options.IsAvro);
        Assert.Equal("http://registry:8081", options.SchemaRegistry[SchemaRegistrySettings.Url]);
        var (decoder, registry) = SinkHost.CreateDecoder(options);
        using var _ = registry;
        Assert.IsType<DebeziumAvroDecoder>(decoder);
        Assert.NotNull(registry);
    }

    [Fact]
    public void Load_RegistryCredentialsFromTheEnvironment_Bound()
    {
        // As Confluent's clients take them: schema.registry.basic.auth.user.info (CDC_ prefix, __ for nesting).
        Environment.SetEnvironmentVariable("CDC_SchemaRegistry__schema.registry.basic.auth.user.info", "sink-user:s3cret");
        try
        {
            var options = SinkConfiguration.Load([.. Valid, "--format", "AVRO", "--schema-registry", "https://a:8081,https://b:8081"]);

            Assert.Equal("sink-user:s3cret", options.SchemaRegistry[SchemaRegistrySettings.BasicAuthUserInfo]);
            Assert.Equal("https://a:8081,https://b:8081", options.SchemaRegistry[SchemaRegistrySettings.Url]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CDC_SchemaRegistry__schema.registry.basic.auth.user.info", null);
        }
    }

    [Theory]
    [InlineData(new[] { "--format", "avro" }, "--format avro: no Schema Registry: give schema.registry.url")]
    [InlineData(new[] { "--format", "protobuf" }, "--format must be json or avro, not 'protobuf'")]
    [InlineData(new[] { "--format", "avro", "--schema-registry", "registry:8081" }, "is not an absolute http(s) URL")]
    public void Load_BadFormatSettings_FailWithMessage(string[] flags, string message)
    {
        var error = Assert.Throws<ConfigurationError>(() => SinkConfiguration.Load([.. Valid, .. flags]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
