namespace Cdc.Schemas.Tests.Support;

/// <summary>One throwaway database (with hstore, ltree and the <c>mood</c> enum) for a whole test class.</summary>
public sealed class PgTextDatabase : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    internal PgTextSession Session { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Session = new PgTextSession(await _postgres.CreateDatabaseAsync());
        await Session.ExecuteAsync(PgTextSession.Setup);
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
