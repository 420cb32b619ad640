using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cdc.Schemas.Registry.Internal;

/// <summary>Builds the HTTP handler: TLS trust (a private CA, or none in tests) and a client certificate for mutual TLS.</summary>
internal static class RegistryHttpHandler
{
    public static SocketsHttpHandler Create(SchemaRegistryOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        if (!options.EnableSslCertificateVerification)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.SslCaLocation is { } caPath)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && ChainsTo(certificate, ca, errors));
        }

        if (options.SslCertificateLocation is { } certificatePath)
        {
            var certificate = options.SslKeyLocation is { } keyPath
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(certificatePath, options.SslCertificatePassword);
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return handler;
    }

    private static bool ChainsTo(X509Certificate certificate, X509Certificate2 ca, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
