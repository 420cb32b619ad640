using System.Net;
using Cdc.Registry;
using Cdc.Schemas.Registry;

namespace Cdc.Schemas.Tests.Registry;

/// <summary>Cdc's registry client (Confluent's CachedSchemaRegistryClient, retries in Polly) against the embedded registry.</summary>
public sealed class ConfluentSchemaRegistryTests : IAsyncLifetime
{
    private const string Schema = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"}]}""";
    private const string SchemaV2 = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"},{"name":"region","type":["null","string"],"default":null}]}""";
    private const string Incompatible = """{"type":"record","name":"Key","namespace":"shop.public.orders","fields":[{"name":"id","type":"long"},{"name":"region","type":"string"}]}""";

    private EmbeddedSchemaRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await EmbeddedSchemaRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task RegisterSchemaAsync_NewSchema_PostsToSubjectVersions()
    {
        using var client = CreateSut();

        var id = await client.RegisterSchemaAsync("shop.public.orders-key", Schema);

        Assert.Equal(1, id);
        Assert.Equal(["POST /subjects/shop.public.orders-key/versions"], _registry.Requests);
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
        var second = await client.GetSchemaAsync(id);

        Assert.Equal(Schema, first);
        Assert.Equal(Schema, second);
        Assert.Equal([$"GET /schemas/ids/{id}"], _registry.Requests);
    }

    [Fact]
    public async Task GetSchemaAsync_UnknownId_NotFound40403WithoutRetry()
    {
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(42));

        Assert.IsNotType<SchemaRegistryUnavailableException>(error);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(SchemaRegistryErrorCodes.SchemaNotFound, error.ErrorCode);
        Assert.True(error.IsNotFound);
        Assert.Contains("schema not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _registry.RequestCount);
    }

    [Fact]
    public async Task GetSchemaIdAsync_Registered_ReturnsItsId()
    {
        _registry.Register("t-value", Schema);
        var id2 = _registry.Register("t-value", SchemaV2);
        using var client = CreateSut();

        Assert.Equal(id2, await client.GetSchemaIdAsync("t-value", SchemaV2));
        Assert.Equal(["POST /subjects/t-value"], _registry.Requests);
    }

    [Fact]
    public async Task GetSchemaIdAsync_UnknownSubject_40401()
    {
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaIdAsync("nope-value", Schema));

        Assert.Equal(SchemaRegistryErrorCodes.SubjectNotFound, error.ErrorCode);
        Assert.Contains("subject not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSchemaIdAsync_SchemaNotUnderSubject_40403()
    {
        _registry.Register("t-value", Schema);
        using var client = CreateSut();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaIdAsync("t-value", SchemaV2));

        Assert.Equal(SchemaRegistryErrorCodes.SchemaNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task RegisterSchemaAsync_IncompatibleChange_409WithoutRetry()
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
    public async Task GetSchemaAsync_TwoServerErrorsThenSuccess_RetriedByThePipeline()
    {
        var id = _registry.Register("t-key", Schema);
        _registry.FailNext(2, HttpStatusCode.ServiceUnavailable);
        using var client = CreateSut();

        Assert.Equal(Schema, await client.GetSchemaAsync(id));
        Assert.Equal(3, _registry.RequestCount);
    }

    [Fact]
    public async Task GetSchemaAsync_ServerErrorsPastRetries_Unavailable()
    {
        var id = _registry.Register("t-key", Schema);
        _registry.FailNext(10);
        using var client = CreateSut(maxRetries: 2);

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => client.GetSchemaAsync(id));

        Assert.Contains("InternalServerError", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _registry.RequestCount);
    }

    [Fact]
    public async Task GetSchemaAsync_RegistryDown_UnavailableNamingTheUrl()
    {
        var url = _registry.Url;
        await _registry.StopAsync();
        using var client = CreateSut(maxRetries: 1);

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => client.GetSchemaAsync(1));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task GetSchemaAsync_FirstUrlDown_SecondAnswers()
    {
        var id = _registry.Register("t-key", Schema);
        await using var down = await EmbeddedSchemaRegistry.StartAsync();
        var downUrl = down.Url;
        await down.StopAsync();
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = $"{downUrl},{_registry.Url}" });

        Assert.Equal(Schema, await client.GetSchemaAsync(id));
    }

    [Fact]
    public async Task Requests_WithBasicAuth_Accepted()
    {
        await using var secured = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { Credentials = ("sink", "s3cret") });
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = secured.Url, [SchemaRegistrySettings.BasicAuthUserInfo] = "sink:s3cret" });

        Assert.Equal(1, await client.RegisterSchemaAsync("t-key", Schema));
    }

    [Fact]
    public async Task Requests_WrongCredentials_UnauthorizedNotRetried()
    {
        await using var secured = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { Credentials = ("sink", "s3cret") });
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = secured.Url, [SchemaRegistrySettings.BasicAuthUserInfo] = "sink:wrong" });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("t-key", Schema));

        Assert.IsNotType<SchemaRegistryUnavailableException>(error);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("not authorized", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, secured.RequestCount);
    }

    [Fact]
    public async Task Request_SlowerThanTimeout_Unavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections, never answers
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var client = new ConfluentSchemaRegistry(new Dictionary<string, string>
        {
            [SchemaRegistrySettings.Url] = url, [SchemaRegistrySettings.RequestTimeoutMs] = "200", [SchemaRegistrySettings.MaxRetries] = "0",
        });

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => client.GetSchemaAsync(1));

        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://x", "not an absolute http(s) URL")]
    [InlineData("", "no Schema Registry")]
    [InlineData("http://user:hunter2@registry:8081", "credentials in the URL")]
    public void Settings_BadUrl_RejectedWithoutShowingCredentials(string url, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfluentSchemaRegistry(url));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_NotARegistryProperty_Rejected()
    {
        var problem = SchemaRegistrySettings.Problem(new Dictionary<string, string> { [SchemaRegistrySettings.Url] = "http://r:8081", ["Url"] = "x" });

        Assert.Contains("'Url' is not a Schema Registry property", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TopicNameStrategy_Subjects()
    {
        Assert.Equal("shop.public.orders-key", TopicNameStrategy.KeySubject("shop.public.orders"));
        Assert.Equal("shop.public.orders-value", TopicNameStrategy.ValueSubject("shop.public.orders"));
    }

    private ConfluentSchemaRegistry CreateSut(int maxRetries = 3) => new(new Dictionary<string, string>
    {
        [SchemaRegistrySettings.Url] = _registry.Url,
        [SchemaRegistrySettings.MaxRetries] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [SchemaRegistrySettings.RetriesWaitMs] = "1",
    });
}
