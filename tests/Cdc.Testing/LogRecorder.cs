using System.Text;
using Microsoft.Extensions.Logging;

namespace Cdc.Testing;

/// <summary>An <see cref="ILogger"/> that keeps every formatted line (and echoes warnings and errors to the console), so a test can assert what an in-process component said.</summary>
public sealed class LogRecorder : ILogger
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var line = $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}";
        lock (_text)
        {
            _text.AppendLine(line);
        }

        if (logLevel >= LogLevel.Warning || Environment.GetEnvironmentVariable("CDC_TEST_LOG") == "info")
        {
            Console.WriteLine(line);
        }
    }
}
