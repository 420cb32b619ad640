using System.Globalization;

namespace Cdc.Registry;

/// <summary>
/// <c>cdc registry</c>: serves an <see cref="EmbeddedSchemaRegistry"/> until its token is cancelled (the dev command's
/// entry point cancels it on SIGINT/SIGTERM), as <c>cdc kafka</c> hosts the mock cluster. Its first stdout line is the registry's URL. Exit codes: 0 after a clean stop, 2 for bad flags, an
/// unreadable file or a port already in use, 1 when it cannot serve otherwise.
/// </summary>
public static class RegistryCommand
{
    public const string DefaultFile = "cdc-registry.json";

    public const string Usage = $"""
        usage: cdc registry [--port PORT] [--file PATH]
          A Schema Registry for this machine (the part of Confluent's REST API that Confluent's clients and Debezium's
          AvroConverter use; Avro, compatibility BACKWARD by default) until Ctrl-C / SIGTERM.
          --port PORT   port on 127.0.0.1 (default 8081; 0: any free port)
          --file PATH   where subjects, schemas and compatibility levels are kept, so ids survive a restart
                        (default {DefaultFile} in the current directory)
        Prints the URL as the first line: give it to --schema-registry.
        """;

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        int port;
        string file;
        try
        {
            (port, file) = Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"cdc registry: {e.Message}");
            return 2;
        }

        if (args.Any(a => a is "-h" or "--help"))
        {
            await stdout.WriteLineAsync(Usage);
            return 0;
        }

        EmbeddedSchemaRegistry registry;
        try
        {
            registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { Port = port, File = Path.GetFullPath(file) }, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or Cdc.Common.Configuration.ConfigurationError)
        {
            await stderr.WriteLineAsync($"cdc registry: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"cdc registry: cannot listen on 127.0.0.1:{port}: {e.Message}");
            return 1;
        }

        await using (registry)
        {
            await stdout.WriteLineAsync(registry.Url);
            await stdout.WriteLineAsync($"schemas kept in {Path.GetFullPath(file)}");
            await stdout.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop: everything is already in the file.
            }
        }

        return 0;
    }

    private static (int Port, string File) Parse(IReadOnlyList<string> args)
    {
        var (port, file) = (8081, DefaultFile);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"option '{args[i]}' needs a value");
            switch (args[i])
            {
                case "-h" or "--help":
                    break;
                case "--port":
                    var text = Value();
                    port = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65_535
                        ? p
                        : throw new FormatException($"option '--port' needs a port from 0 to 65535, not '{text}'");
                    break;
                case "--file":
                    file = Value();
                    break;
                default:
                    throw new FormatException($"unknown option '{args[i]}' (known: --port, --file, --help)");
            }
        }

        return (port, file);
    }
}
