using Cdc.Registry;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Registry;

/// <summary>The client over HTTPS to a registry whose certificate a private CA signed, configured as Confluent's clients are.</summary>
public sealed class SchemaRegistryTlsTests : IAsyncLifetime
{
    private const string Schema = """{"type":"record","name":"Key","fields":[{"name":"id","type":"long"}]}""";

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = TestCertificates.SelfSigned();
    private EmbeddedSchemaRegistry _registry = null!;
    private string _caFile = null!;

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { Certificate = _certificate });
        _caFile = TestCertificates.WritePem(_certificate);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        File.Delete(_caFile);
        _certificate.Dispose();
    }

    [Fact]
    public async Task RegisterSchemaAsync_HttpsWithTheCaConfigured_Succeeds()
    {
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, ["schema.registry.ssl.ca.location"] = _caFile });

        Assert.StartsWith("https://", _registry.Url, StringComparison.Ordinal);
        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }

    [Fact]
    public async Task RegisterSchemaAsync_HttpsWithUntrustedCertificate_TlsErrorNotRetried()
    {
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, [SchemaRegistrySettings.RetriesWaitMs] = "1" });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-key", Schema));

        Assert.IsNotType<SchemaRegistryUnavailableException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _registry.RequestCount);
    }

    [Fact]
    public async Task RegisterSchemaAsync_VerificationDisabled_Succeeds()
    {
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = _registry.Url, ["schema.registry.enable.ssl.certificate.verification"] = "false" });

        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }
}
