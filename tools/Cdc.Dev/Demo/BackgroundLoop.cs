namespace Cdc.Dev.Demo;

/// <summary>Runs <paramref name="body"/> on the thread pool from <see cref="Start"/> until disposed, which cancels it and
/// waits for it to end (its cancellation is the normal end, not an error).</summary>
internal sealed class BackgroundLoop(Func<CancellationToken, Task> body) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public void Start() => _run = Task.Run(() => body(_stop.Token), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
