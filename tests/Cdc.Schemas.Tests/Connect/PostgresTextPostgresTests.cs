using Cdc.Schemas.Connect;
using Cdc.Schemas.Tests.Json;
using Cdc.Schemas.Tests.Support;
using Cdc.Sink.Planning;
using Npgsql;

namespace Cdc.Schemas.Tests.Connect;

/// <summary>
/// <see cref="PostgresText"/> against real PostgreSQL output: each value is stored in a column of its type, read back
/// as <c>::text</c> (what pgoutput sends) and converted; the result must equal what the JSON decoder makes of the
/// Debezium JSON for that value, and the sink's <see cref="PgText"/> of it must be the same value to PostgreSQL.
/// </summary>
public sealed class PostgresTextPostgresTests(PgTextDatabase database) : IClassFixture<PgTextDatabase>
{
    private readonly PgTextSession _session = database.Session;

    // Values whose sink text is not the same value to PostgreSQL, each for a stated reason (asserted, so a fix shows here).
    private static readonly Dictionary<(string PgType, string Input, string Mode), string> KnownDifferences = new()
    {
        [("bit varying", "0011", Exact)] = LeadingZeros,
        [("bit varying", "0011", Precise)] = LeadingZeros,
    };

    private const string Exact = "exact";
    private const string Precise = "precise";

    private const string MonthApproximation =
        "Debezium: interval.handling.mode=numeric (MicroDuration) folds months (as 365.25/12 days) and days into microseconds; interval.handling.mode=string is exact";

    private const string LeadingZeros =
        "Debezium: Bits bytes (a BitSet sized by the highest set bit) carry no value length, so a bit varying loses its leading zeros";

    public static TheoryData<string, string, string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string, string, string>();
            foreach (var (mode, set) in new[] { (Exact, PostgresTextCases.Exact), (Precise, PostgresTextCases.Precise) })
            {
                foreach (var row in PostgresTextCases.Common.Concat(set))
                {
                    cases.Add(mode, (string)row[0], (string)row[1], (string)row[2]);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ToConnectValue_PostgresText_EqualsTheDecodedDebeziumJson(string mode, string pgType, string input, string debeziumJson)
    {
        var (text, formatType) = await _session.StoreAsync(pgType, input);
        Assert.Equal(pgType, formatType);
        var schema = PostgresTypeMapping.SchemaFor(formatType, Handling(mode));

        var actual = PostgresText.ToConnectValue(text, schema, formatType);

        ChangeRecordAssert.Value(TestSchemas.Convert(debeziumJson, schema), actual, $"{pgType} '{text}'");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PgText_OfTheConvertedValue_IsTheSameValueToPostgres(string mode, string pgType, string input, string debeziumJson)
    {
        _ = debeziumJson;
        var (text, formatType) = await _session.StoreAsync(pgType, input);
        var value = PostgresText.ToConnectValue(text, PostgresTypeMapping.SchemaFor(formatType, Handling(mode)), formatType);

        var sinkText = PgText.ForColumn(formatType)(value);

        Assert.NotNull(sinkText);
        var same = await SameValueAsync(formatType, sinkText, text);
        if (KnownDifferences.TryGetValue((pgType, input, mode), out var reason) || IsApproximateInterval(mode, pgType, text, out reason))
        {
            Assert.False(same, $"{formatType} '{text}' now comes back equal: remove it from KnownDifferences ({reason})");
            return;
        }

        Assert.True(same, $"{formatType}: source text '{text}', sink text '{sinkText}'");
    }

    // interval.handling.mode=numeric folds days and months into microseconds: PostgreSQL prints them as hours.
    private static bool IsApproximateInterval(string mode, string pgType, string text, out string reason)
    {
        reason = MonthApproximation;
        return mode == Precise && pgType.StartsWith("interval", StringComparison.Ordinal) && (text.Contains("day", StringComparison.Ordinal) || text.Contains("mon", StringComparison.Ordinal) || text.Contains("year", StringComparison.Ordinal));
    }

    private static ValueHandling Handling(string mode) => mode == Exact ? ValueHandling.Exact : ValueHandling.DebeziumDefaults;

    [Fact]
    public async Task ToConnectValue_AllTypesFixtureRowsStoredBySink_EqualTheFixture()
    {
        var columns = AllTypesFixtureTests.Ddl;
        var definitions = string.Join(", ", columns.Select(c => $"{c.Column} {c.PgType}"));
        await _session.ExecuteAsync($"CREATE TABLE all_types ({definitions}, PRIMARY KEY (id))");
        var rows = GoldenFixture.Load("all-types.schema.json").Decode().Select(r => r.Event!.After!).Take(2).ToList();
        await using var connection = await _session.OpenAsync();
        foreach (var row in rows)
        {
            var casts = string.Join(", ", columns.Select((c, i) => $"CAST(${i + 1} AS {c.PgType})"));
            await using var insert = new NpgsqlCommand($"INSERT INTO all_types VALUES ({casts})", connection);
            foreach (var (column, pgType) in columns)
            {
                Assert.True(row.TryGet(column, out var value));
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)PgText.ForColumn(pgType)(value.Value) ?? DBNull.Value });
            }

            await insert.ExecuteNonQueryAsync();
        }

        var texts = string.Join(", ", columns.Select(c => $"CASE WHEN {c.Column} IS NULL THEN NULL ELSE format('%s', {c.Column}) END"));
        await using var select = new NpgsqlCommand($"SELECT {texts} FROM all_types ORDER BY id", connection);
        await using var reader = await select.ExecuteReaderAsync();
        foreach (var row in rows)
        {
            Assert.True(await reader.ReadAsync());
            for (var i = 0; i < columns.Length; i++)
            {
                var (column, pgType) = columns[i];
                Assert.True(row.TryGet(column, out var expected));
                var actual = await reader.IsDBNullAsync(i) ? null : PostgresText.ToConnectValue(reader.GetString(i), PostgresTypeMapping.SchemaFor(pgType, ValueHandling.DebeziumDefaults), pgType);
                ChangeRecordAssert.Value(column == "c_tstz_arr" ? ToMicroseconds(expected.Value) : expected.Value, actual, $"row {row[0].Value} {column}");
            }
        }
    }

    private async Task<bool> SameValueAsync(string pgType, string sinkText, string sourceText)
    {
        try
        {
            return await _session.SameValueAsync(pgType, sinkText, sourceText);
        }
        catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.InvalidTextRepresentation)
        {
            return false;
        }
    }

    // PostgreSQL keeps microseconds; the fixture's 7-9 digit fractions round down to them.
    private static object?[] ToMicroseconds(object? timestamps) =>
        ((IReadOnlyList<object?>)timestamps!).Select(t => (object?)new DateTimeOffset(((DateTimeOffset)t!).UtcTicks / 10 * 10, TimeSpan.Zero)).ToArray();
}
