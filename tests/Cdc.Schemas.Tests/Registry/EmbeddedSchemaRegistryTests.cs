using System.Net;
using Cdc.Registry;
using Confluent.SchemaRegistry;

namespace Cdc.Schemas.Tests.Registry;

/// <summary>
/// The embedded registry (<c>./cdc registry</c>) as Confluent's own client sees it: subjects, versions, schemas by id,
/// compatibility (BACKWARD by default, enforced with 409), configuration, 404 for associations, and ids kept in its file
/// across a restart.
/// </summary>
public sealed class EmbeddedSchemaRegistryTests : IAsyncLifetime
{
    private const string V1 = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"}]}""";
    private const string V2 = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}""";
    private const string NoDefault = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"note","type":"string"}]}""";

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cdc-registry-{Guid.NewGuid():N}.json");
    private EmbeddedSchemaRegistry _registry = null!;
    private CachedSchemaRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { File = _file });
        _client = Client(_registry.Url);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task Register_TwoVersions_SubjectsVersionsAndIdsAsConfluentReadsThem()
    {
        var id1 = await _client.RegisterSchemaAsync("orders-value", Avro(V1));
        var id2 = await _client.RegisterSchemaAsync("orders-value", Avro(V2));
        var sameAgain = await _client.RegisterSchemaAsync("other-value", Avro(V1));

        Assert.Equal([1, 2], [id1, id2]);
        Assert.Equal(id1, sameAgain);
        Assert.Equal(["orders-value", "other-value"], await _client.GetAllSubjectsAsync());
        Assert.Equal([1, 2], await _client.GetSubjectVersionsAsync("orders-value"));
        var latest = await _client.GetLatestSchemaAsync("orders-value");
        Assert.Equal((id2, 2, V2), (latest.Id, latest.Version, latest.SchemaString));
        var first = await _client.GetRegisteredSchemaAsync("orders-value", 1);
        Assert.Equal((id1, V1), (first.Id, first.SchemaString));
        Assert.Equal(V2, (await _client.GetSchemaAsync(id2)).SchemaString);
        var lookup = await _client.LookupSchemaAsync("orders-value", Avro(V2), ignoreDeletedSchemas: true);
        Assert.Equal((id2, 2), (lookup.Id, lookup.Version));
    }

    [Fact]
    public async Task Register_FieldWithoutDefault_409UnderTheDefaultBackwardLevel()
    {
        await _client.RegisterSchemaAsync("orders-value", Avro(V1));

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync("orders-value", Avro(NoDefault)));

        Assert.Equal(Compatibility.Backward, await _client.GetCompatibilityAsync());
        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(409, error.ErrorCode);
        Assert.False(await _client.IsCompatibleAsync("orders-value", Avro(NoDefault)));
        Assert.True(await _client.IsCompatibleAsync("orders-value", Avro(V2)));
    }

    [Fact]
    public async Task Compatibility_SubjectSetToNone_AcceptsWhatBackwardRefuses()
    {
        await _client.RegisterSchemaAsync("orders-value", Avro(V1));

        await _client.UpdateCompatibilityAsync(Compatibility.None, "orders-value");

        Assert.Equal(Compatibility.None, await _client.GetCompatibilityAsync("orders-value"));
        Assert.Equal(2, await _client.RegisterSchemaAsync("orders-value", Avro(NoDefault)));
    }

    [Fact]
    public async Task Compatibility_Forward_RefusesARemovedFieldWithoutDefault()
    {
        await _client.UpdateCompatibilityAsync(Compatibility.Forward, "orders-value");
        await _client.RegisterSchemaAsync("orders-value", Avro(NoDefault));

        // Readers of the earlier version need 'note', which the new schema no longer writes.
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync("orders-value", Avro(V1)));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
    }

    [Fact]
    public async Task UnknownIdAndSubject_404WithConfluentErrorCodes()
    {
        var schema = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetSchemaAsync(99));
        var subject = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetLatestSchemaAsync("nope-value"));

        Assert.Equal((HttpStatusCode.NotFound, 40403), (schema.Status, schema.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (subject.Status, subject.ErrorCode));
    }

    [Fact]
    public async Task Associations_404AsTheClientExpects()
    {
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            _client.GetAssociationsByResourceNameAsync("shop.public.orders", "-", "topic", ["value"], null, 0, -1));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Restart_FromItsFile_KeepsIdsVersionsAndLevels()
    {
        var id1 = await _client.RegisterSchemaAsync("orders-value", Avro(V1));
        var id2 = await _client.RegisterSchemaAsync("orders-value", Avro(V2));
        await _client.UpdateCompatibilityAsync(Compatibility.Full, "orders-value");
        await _registry.DisposeAsync();

        _registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { File = _file });
        using var fresh = Client(_registry.Url);

        Assert.Equal(V1, (await fresh.GetSchemaAsync(id1)).SchemaString);
        Assert.Equal((id2, 2), ((await fresh.GetLatestSchemaAsync("orders-value")).Id, (await fresh.GetLatestSchemaAsync("orders-value")).Version));
        Assert.Equal(Compatibility.Full, await fresh.GetCompatibilityAsync("orders-value"));
        Assert.Equal(3, await fresh.RegisterSchemaAsync("orders-value", Avro("""{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null},{"name":"qty","type":"int","default":0}]}""")));
    }

    [Fact]
    public async Task Start_FileNotWrittenByTheRegistry_RefusedWithTheReason()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"cdc-registry-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, "{\"schemas\": 5}");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { File = bad }));

            Assert.Contains(bad, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Register_DebeziumDecimalWithScaleAbovePrecision_AcceptedAsJavasRegistryDoes()
    {
        const string numeric25 = """{"type":"record","name":"Value","fields":[{"name":"n","type":["null",{"type":"bytes","scale":5,"precision":2,"connect.version":1,"connect.parameters":{"scale":"5","connect.decimal.precision":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}],"default":null}]}""";

        var id = await _client.RegisterSchemaAsync("t-value", Avro(numeric25));

        Assert.Equal(numeric25, (await _client.GetSchemaAsync(id)).SchemaString);
    }

    private static Schema Avro(string text) => new(text, SchemaType.Avro);

    private static CachedSchemaRegistryClient Client(string url) => new(new SchemaRegistryConfig { Url = url });
}
