using System.Net;
using System.Net.Sockets;

namespace Cdc.Dev.Demo;

/// <summary>A TCP port that was free a moment ago, for a <c>/metrics</c> endpoint that takes a fixed port.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
