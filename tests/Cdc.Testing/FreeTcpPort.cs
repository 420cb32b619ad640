using System.Net;
using System.Net.Sockets;

namespace Cdc.Testing;

/// <summary>A loopback TCP port that was free a moment ago, for servers that take a fixed port.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
