using Cdc.Registry;
using Cdc.Testing;
using Confluent.SchemaRegistry;

namespace Cdc.DevKit.Tests.Registry;

/// <summary><c>./cdc registry</c>: the URL as its first line, a clean stop on SIGTERM, ids kept in its file across a restart, one-line errors.</summary>
public sealed class RegistryCommandTests
{
    private const string Schema = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"}]}""";

    [Fact]
    public async Task Process_StoppedAndStartedAgainOnItsFile_KeepsTheIds()
    {
        int id;
        var file = Path.Combine(Path.GetTempPath(), $"cdc-registry-{Guid.NewGuid():N}.json");
        using (var first = await RegistryProcess.StartAsync(file))
        {
            using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = first.Url });
            await client.RegisterSchemaAsync("other-key", new Schema("""{"type":"string"}""", SchemaType.Avro));
            id = await client.RegisterSchemaAsync("shop.public.orders-key", new Schema(Schema, SchemaType.Avro));
            first.Process.Terminate();
            Assert.True(await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)), first.Process.Output);
            Assert.Equal(0, first.Process.ExitCode);
        }

        try
        {
            using var second = await RegistryProcess.StartAsync(file);
            using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = second.Url });

            Assert.Equal(2, id);
            Assert.Equal(Schema, (await client.GetSchemaAsync(id)).SchemaString);
            Assert.Equal(id, (await client.GetLatestSchemaAsync("shop.public.orders-key")).Id);
            Assert.Contains($"schemas kept in {file}", second.Process.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "--port", "x" }, "option '--port' needs a port from 0 to 65535, not 'x'")]
    [InlineData(new[] { "--nope" }, "unknown option '--nope' (known: --port, --file, --help)")]
    public async Task RunAsync_BadFlag_ExitCode2AndOneLine(string[] args, string message)
    {
        var stdout = new LineCapture();
        var stderr = new LineCapture();

        var exitCode = await RegistryCommand.RunAsync(args, stdout, stderr);

        Assert.Equal(2, exitCode);
        Assert.Equal([$"cdc registry: {message}"], stderr.Drain());
        Assert.Empty(stdout.Drain());
    }

    [Fact]
    public async Task RunAsync_FileNotARegistrys_ExitCode2NamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdc-registry-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "not json");
        try
        {
            var stderr = new LineCapture();

            var exitCode = await RegistryCommand.RunAsync(["--port", "0", "--file", file], new LineCapture(), stderr);

            Assert.Equal(2, exitCode);
            Assert.StartsWith($"cdc registry: {file} is not a registry file this command wrote", Assert.Single(stderr.Drain()), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
