using Cdc.Registry;
using Cdc.Schemas.Registry;
using Xunit;

namespace Cdc.Testing;

/// <summary>
/// One embedded Schema Registry (<c>./cdc registry</c>'s) and a client for a whole test class (<c>IClassFixture</c>), instead
/// of one per test. Its subjects are BACKWARD compatible by default, so tests sharing it must register under subjects of
/// their own (a topic per test) unless they register the same schemas.
/// </summary>
public sealed class SchemaRegistryFixture : IAsyncLifetime
{
    public EmbeddedSchemaRegistry Registry { get; private set; } = null!;

    public ConfluentSchemaRegistry Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await EmbeddedSchemaRegistry.StartAsync();
        Client = new ConfluentSchemaRegistry(Registry.Url);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
