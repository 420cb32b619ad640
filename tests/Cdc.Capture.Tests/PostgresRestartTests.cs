using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

/// <summary>Restarts the shared PostgreSQL server: run rarely (it disturbs every other user of the server).</summary>
[Collection(FaultCollection.Name)]
public sealed class PostgresRestartTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task PostgreSQL_restarted_while_streaming_the_connector_waits_reconnects_and_loses_nothing()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, "CREATE TABLE r (id int PRIMARY KEY)", "public.r");
        await using var capture = await bed.StartAsync();
        await CaptureTestBed.UntilStreamingAsync(capture);
        using var reader = bed.Reader("public.r");
        await bed.ExecuteAsync("INSERT INTO r SELECT generate_series(1, 100)");

        await RepositoryScript.RunAsync("scripts/postgres.sh", "restart");
        await Wait.UntilAsync(async () =>
        {
            try
            {
                await bed.ExecuteAsync("INSERT INTO r SELECT generate_series(101, 200)");
                return true;
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "PostgreSQL to accept writes again");

        var records = await reader.ReadUntilAsync(r => r.Select(x => x.KeyText).Distinct().Count() >= 200, TimeSpan.FromSeconds(90), "all 200 inserts");
        Assert.Equal(200, records.Select(r => r.KeyText).Distinct().Count());
        Assert.True(capture.Capture.Worker.Sessions >= 2, "the connector reconnected");
        await CaptureTestBed.UntilStreamingAsync(capture);
    }
}
