using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cdc.Common.Http;

/// <summary>
/// A bare Kestrel app for small endpoints: no configuration files, environment variables or logging providers, so it
/// prints nothing and nothing outside the caller changes where it binds.
/// </summary>
public static class KestrelHost
{
    /// <param name="address">Where to listen.</param>
    /// <param name="port">0 binds a free port; the port actually bound is returned.</param>
    /// <param name="mapEndpoints">Maps the app's endpoints.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="certificate">Serves HTTPS with this certificate instead of HTTP.</param>
    public static async Task<(WebApplication App, int Port)> StartAsync(
        IPAddress address, int port, Action<WebApplication> mapEndpoints, CancellationToken cancellationToken, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(address, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        mapEndpoints(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync();
            throw new Configuration.ConfigurationError($"cannot listen on {address}:{port}: the port is already in use (another process has it)", e);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(bound).Port);
    }

    /// <summary>Parses <c>0.0.0.0</c>, <c>*</c>, <c>localhost</c> or an IP literal.</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static IPAddress ParseAddress(string address) => address.Trim() switch
    {
        "*" or "0.0.0.0" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        var other when IPAddress.TryParse(other.Trim('[', ']'), out var ip) => ip,
        var other => throw new FormatException($"'{other}' is not an IP address to bind (use 0.0.0.0 or 127.0.0.1)"),
    };
}
