using System.Net;
using Cdc.Schemas.Registry;
using Cdc.Schemas.Tests.Support;

namespace Cdc.Schemas.Tests.Registry;

/// <summary>The REST client against the in-process registry test double.</summary>
public sealed class SchemaRegistryClientTests : IAsyncLifetime
{
    private const string Schema = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"}]}""";
    private const string SchemaV2 = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"},{"name":"region","type":["null","string"],"default":null}]}""";
    private const string Incompatible = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"},{"name":"region","type":"string"}]}""";

    private SchemaRegistryTestDouble _registry = null!;

    public async Task InitializeAsync() => _registry = await SchemaRegistryTestDouble.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task RegisterSchemaAsync_NewSchema_PostsToSubjectVersionsWithRegistryContentType()
    {
        using var client = CreateSut();

        var id = await client.RegisterSchemaAsync("shop.public.orders-key", Schema);

        Assert.Equal(1, id);
        Assert.Equal(["POST /subjects/shop.public.orders-key/versions (application/vnd.schemaregistry.v1+json)"], _registry.Requests);
    }

    [Fact]
    public async Task RegisterSchemaAsync_SameSchemaTwice_CachedWithoutSecondRequest()
    {
        using var client = CreateSut();

        var first = await client.RegisterSchemaAsync("t-value", Schema);
        var second = await client.RegisterSchemaAsync("t-value", Schema);

        Assert.Equal(first, second);
        Assert.Equal(1, _registry.RequestCount);
    }

    [Fact]
    public async Task RegisterSchemaAsync_SameSchemaUnderTwoSubjects_SameId()
    {
        using var client = CreateSut();

        Assert.Equal(await client.RegisterSchemaAsync("a-value", Schema), await client.RegisterSchemaAsync("b-value", Schema));
    }

    [Fact]
    public async Task GetSchemaAsync_RegisteredId_ReturnsSchemaAndCachesIt()
    {
        var id = _registry.Register("t-key", Schema);
        using var client = CreateSut();

        var first = await client.GetSchemaAsync(id);
        var second = await Task.Run(() => client.GetSchema(id));

        Assert.Equal(Schema, first);
        Assert.Equal(Schema, second);
        Assert.Equal([$"GET /schemas/ids/{id} ()"], _registry.Requests);
    }

    [Fact]
    public void GetSchema_UnknownId_NotFound40403()
    {
        using var client = CreateSut();

        var error = Assert.Throws<SchemaRegistryException>(() => client.GetSchema(42));

        Assert.IsNotType<SchemaRegistryUnavailableException>(error);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(SchemaRegistryErrorCodes.SchemaNotFound, error.ErrorCode);
        Assert.True(error.IsNotFound);
        Assert.Contains("schema not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookupSchemaAsync_Registered_ReturnsIdAndVersion()
    {
        _registry.Register("t-value", Schema);
        var id2 = _registry.Register("t-value", SchemaV2);
        using var client = CreateSut();

        var found = await client.LookupSchemaAsync("t-value", SchemaV2);

        Assert.Equal(new RegisteredSchema("t-value", id2, 2, SchemaV2), found);
        Assert.Equal(["POST /subjects/t-value (application/vnd.schemaregistry.v1+json)"], _registry.Requests);
    }

    [Fact]
    public async Task LookupSchemaAsync_UnknownSubject_40401()
    {
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.LookupSchemaAsync("nope-value", Schema));

        Assert.Equal(SchemaRegistryErrorCodes.SubjectNotFound, error.ErrorCode);
        Assert.Contains("subject not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookupSchemaAsync_SchemaNotUnderSubject_40403()
    {
        _registry.Register("t-value", Schema);
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.LookupSchemaAsync("t-value", SchemaV2));

        Assert.Equal(SchemaRegistryErrorCodes.SchemaNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task RegisterSchemaAsync_IncompatibleChange_409()
    {
        _registry.Register("t-value", Schema);
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-value", Incompatible));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal(SchemaRegistryErrorCodes.IncompatibleSchema, error.ErrorCode);
        Assert.Contains("incompatible", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _registry.RequestCount);
    }

    [Fact]
    public async Task RegisterSchemaAsync_InvalidSchema_42201WithoutRetry()
    {
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-value", """{"type":"record","name":"X","fields":[{"name":"a","type":"nosuchtype"}]}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal(SchemaRegistryErrorCodes.InvalidSchema, error.ErrorCode);
        Assert.Contains("invalid schema", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _registry.RequestCount);
    }

    [Fact]
    public async Task GetSchemaAsync_TwoServerErrorsThenSuccess_Retried()
    {
        var id = _registry.Register("t-key", Schema);
        _registry.FailNext(2, HttpStatusCode.ServiceUnavailable);
        using var client = CreateSut();

        Assert.Equal(Schema, await client.GetSchemaAsync(id));
        Assert.Equal(3, _registry.RequestCount);
    }

    [Fact]
    public void GetSchema_ServerErrorsPastRetries_UnavailableWithErrorCode()
    {
        var id = _registry.Register("t-key", Schema);
        _registry.FailNext(10);
        using var client = CreateSut(maxRetries: 2);

        var error = Assert.Throws<SchemaRegistryUnavailableException>(() => client.GetSchema(id));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(SchemaRegistryErrorCodes.StoreError, error.ErrorCode);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _registry.RequestCount);
    }

    [Fact]
    public async Task GetSchemaAsync_RegistryDown_UnavailableNamingTheUrl()
    {
        var url = _registry.Url;
        await _registry.StopAsync();
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = url, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => client.GetSchemaAsync(1));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task GetSchemaAsync_FirstUrlDown_SecondAnswers()
    {
        var id = _registry.Register("t-key", Schema);
        await using var down = await SchemaRegistryTestDouble.StartAsync();
        var downUrl = down.Url;
        await down.StopAsync();
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = $"{downUrl}, {_registry.Url}", RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(Schema, await client.GetSchemaAsync(id));
    }

    [Fact]
    public async Task Requests_WithBasicAuth_Accepted()
    {
        _registry.RequiredCredentials = ("sink", "s3cret");
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, Username = "sink", Password = "s3cret" });

        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }

    [Fact]
    public async Task Requests_WrongCredentials_UnauthorizedNotRetried()
    {
        _registry.RequiredCredentials = ("sink", "s3cret");
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _registry.Url, Username = "sink", Password = "wrong" });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-key", Schema));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("not authorized", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _registry.RequestCount);
    }

    [Fact]
    public async Task Request_SlowerThanTimeout_Unavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections, never answers
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = url, RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => client.GetSchemaAsync(1));

        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UrlNotHttp_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new SchemaRegistryClient(new SchemaRegistryOptions { Url = "ftp://x" }));
        Assert.Throws<ArgumentException>(() => new SchemaRegistryClient(new SchemaRegistryOptions { Url = "" }));
    }

    [Fact]
    public void TopicNameStrategy_Subjects()
    {
        Assert.Equal("shop.public.orders-key", TopicNameStrategy.KeySubject("shop.public.orders"));
        Assert.Equal("shop.public.orders-value", TopicNameStrategy.ValueSubject("shop.public.orders"));
    }

    private SchemaRegistryClient CreateSut(int maxRetries = 3) =>
        new(new SchemaRegistryOptions { Url = _registry.Url, MaxRetries = maxRetries, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
}
