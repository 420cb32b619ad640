using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Fuzz;

/// <summary>
/// Feeds inputs to a decoder one at a time and keeps score. Each decode runs on the thread pool and is abandoned
/// (the test fails naming the input) if it has not finished within <see cref="HangLimit"/>: a hang detector, far
/// above any real decode, not a speed check. A decode may succeed or throw <see cref="EventDecodeException"/> with a
/// message; any other exception fails the test with the input that caused it.
/// </summary>
internal sealed class FuzzRun
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    public int Decoded { get; private set; }

    public int Rejected { get; private set; }

    public int Total => Decoded + Rejected;

    public Task DecodeAsync(string what, Func<ChangeRecord> decode) => DecodeAsync(what, () => Task.FromResult(decode()));

    /// <summary>As the synchronous overload, for decoders that first fetch what the record needs (Avro's writer schema).</summary>
    public async Task DecodeAsync(string what, Func<Task<ChangeRecord>> decode)
    {
        var attempt = Task.Run(async () =>
        {
            try
            {
                Touch(await decode());
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        Exception? error;
        try
        {
            error = await attempt.WaitAsync(HangLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"decoding did not finish within {HangLimit}: {what}");
            return;
        }

        switch (error)
        {
            case null:
                Decoded++;
                break;
            case EventDecodeException rejected:
                Assert.False(string.IsNullOrWhiteSpace(rejected.Message), $"empty reason for {what}");
                Rejected++;
                break;
            default:
                Assert.Fail($"{error.GetType().FullName} escaped the decoder for {what}:\n{error}");
                break;
        }
    }

    /// <summary>Reads every decoded value, so a lazily failing value cannot hide.</summary>
    private static void Touch(ChangeRecord record)
    {
        foreach (var image in new[] { record.Key, record.Event?.Before, record.Event?.After })
        {
            foreach (var column in image ?? Enumerable.Empty<Column>())
            {
                _ = column.Value?.ToString();
            }
        }
    }
}
