using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Registry;

/// <summary>The client over HTTPS to a registry whose certificate a private CA signed.</summary>
public sealed class SchemaRegistryTlsTests : IAsyncLifetime
{
    private const string Schema = """{"type":"record","name":"Key","fields":[{"name":"id","type":"long"}]}""";

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = TestCertificates.SelfSigned();
    private SchemaRegistryTestDouble _registry = null!;
    private string _caFile = null!;

    public async Task InitializeAsync()
    {
        _registry = await SchemaRegistryTestDouble.StartAsync(certificate: _certificate);
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
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, SslCaLocation = _caFile });

        Assert.StartsWith("https://", _registry.Url, StringComparison.Ordinal);
        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }

    [Fact]
    public async Task RegisterSchemaAsync_HttpsWithUntrustedCertificate_TlsErrorNotRetried()
    {
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-key", Schema));

        Assert.IsNotType<SchemaRegistryUnavailableException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _registry.RequestCount);
    }

    [Fact]
    public async Task RegisterSchemaAsync_VerificationDisabled_Succeeds()
    {
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, EnableSslCertificateVerification = false });

        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }
}
