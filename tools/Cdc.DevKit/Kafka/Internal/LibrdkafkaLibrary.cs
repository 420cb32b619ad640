using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Cdc.DevKit.Kafka.Internal;

/// <summary>
/// Finds the native librdkafka that Confluent.Kafka has already loaded into this process. The mock API must be
/// called in that same copy: an <c>rd_kafka_t*</c> from one copy is meaningless to another.
/// </summary>
internal static class LibrdkafkaLibrary
{
    private static readonly Lazy<nint> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The loaded library's handle; call only after a Confluent.Kafka client exists.</summary>
    public static nint Get() => Handle.Value;

    public static nint Export(string name) =>
        NativeLibrary.TryGetExport(Get(), name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"librdkafka at {LoadedPath() ?? "(unknown path)"} has no export '{name}'");

    /// <summary>The path of the librdkafka file mapped into this process (Linux), else null.</summary>
    public static string? LoadedPath()
    {
        const string maps = "/proc/self/maps";
        if (!OperatingSystem.IsLinux() || !File.Exists(maps))
        {
            return null;
        }

        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..].Trim() : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal));
    }

    /// <summary>Files to try, in order, when the loaded one cannot be read from the process's mappings.</summary>
    public static IEnumerable<string> Candidates()
    {
        var names = OperatingSystem.IsWindows() ? ["librdkafka.dll"]
            : OperatingSystem.IsMacOS() ? ["librdkafka.dylib"]
            : new[] { "centos8-librdkafka.so", "librdkafka.so", "alpine-librdkafka.so", "centos7-librdkafka.so" };
        var directories = new[]
        {
            AppContext.BaseDirectory,
            Path.GetDirectoryName(typeof(Library).Assembly.Location) ?? AppContext.BaseDirectory,
        }.Distinct(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            foreach (var name in names)
            {
                yield return Path.Combine(directory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", name);
                yield return Path.Combine(directory, "runtimes", $"{Platform()}-{Architecture()}", "native", name);
                yield return Path.Combine(directory, name);
            }
        }
    }

    private static nint Load()
    {
        if (LoadedPath() is { } loaded && NativeLibrary.TryLoad(loaded, out var handle))
        {
            return handle;
        }

        var tried = new List<string>();
        foreach (var candidate in Candidates().Distinct(StringComparer.Ordinal))
        {
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle)
                && NativeLibrary.TryGetExport(handle, "rd_kafka_mock_cluster_new", out _))
            {
                return handle;
            }
        }

        throw new DllNotFoundException($"cannot find the librdkafka that Confluent.Kafka loaded; tried: {string.Join(", ", tried)}");
    }

    private static string Platform() =>
        OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    private static string Architecture() =>
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
}
