using Microsoft.Extensions.Logging;

namespace Cdc.Capture.Tests.Support;

internal static class TestLogging
{
    private static readonly ILoggerFactory Factory = LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(Environment.GetEnvironmentVariable("CDC_TEST_LOG") == "info" ? LogLevel.Information : LogLevel.Warning));

    public static ILogger Logger(string name) => Factory.CreateLogger(name);
}
