using System.Globalization;
using Cdc.Capture;
using Cdc.Common.Hosting;
using Cdc.Reconciler;
using Cdc.Sink;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// Every command as shipped, run as a process the way an operator runs it, given what operators get wrong: bad
/// configuration, a wrong password (28P01), a database (3D000) or table that does not exist, a server that does not
/// answer, a port already taken. Each must end with exit code 2 and exactly one line on stderr naming the problem,
/// and no stack trace anywhere. An unexpected failure keeps its stack trace, in the log only. Every command answers
/// <c>--help</c> and <c>-h</c>.
/// </summary>
public sealed class OperatorErrorTests(OperatorErrorBed bed) : IClassFixture<OperatorErrorBed>
{
    /// <summary>The start deadline of the unreachable cases: they are about what happens when it passes.</summary>
    private const string ShortStart = "00:00:01";

    public static TheoryData<string> Cases =>
    [
        "sink unknown option", "sink wrong password", "sink missing database", "sink store unreachable", "sink kafka unreachable", "sink port in use",
        "capture bad slot name", "capture wrong password", "capture missing database", "capture missing table", "capture primary unreachable", "capture port in use",
        "reconcile bad duration", "reconcile wrong password", "reconcile missing database", "reconcile missing table", "reconcile store unreachable", "reconcile port in use",
        "reconcile status missing database",
        "txn bad id", "wait bad lsn", "wait unknown subsystem", "wait wrong password",
        "kafka unknown option", "kafka port in use", "registry port in use",
        "demo wrong password", "demo unknown option", "chaos missing database",
        "bench sink wrong password", "bench capture wrong password", "bench reconcile wrong password", "bench e2e missing database",
    ];

    public static TheoryData<string> Commands =>
        ["sink", "capture", "reconcile", "reconcile status", "replay", "txn", "wait", "kafka", "registry", "demo", "chaos", "bench", "bench sink", "bench capture", "bench reconcile", "bench e2e"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_operator_error_ends_with_one_line_and_exit_code_2(string name)
    {
        var (args, environment, expected) = Case(name);

        var result = await CliProcess.RunAsync(args, environment, TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 2, $"{name}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var command = args[0] == "bench" || args is ["reconcile", "status", ..] ? $"{args[0]} {args[1]}" : args[0];
        Assert.StartsWith($"cdc {command}: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Cdc.", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_answers_help_and_h_with_each_option_and_its_default(string command)
    {
        var words = command.Split(' ');
        var help = await CliProcess.RunAsync([.. words, "--help"]);
        var h = await CliProcess.RunAsync([.. words, "-h"]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.True(h.ExitCode == 0, h.ToString());
        Assert.Equal(help.Stdout, h.Stdout);
        Assert.Contains("usage", help.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(help.Stderr);
        if (Hosted(command) is { } flags)
        {
            foreach (var flag in flags.Concat(HostFlags.All))
            {
                var line = help.Stdout.Split('\n').SingleOrDefault(l => l.TrimStart().StartsWith(flag.Name + " ", StringComparison.Ordinal));
                Assert.True(line is not null, $"cdc {command} --help does not list {flag.Name}:\n{help.Stdout}");
                Assert.Matches(@"\((default: .+|required)\)$", line);
            }
        }
    }

    /// <summary>A store whose bookkeeping table is something the sink never made (a view named cdc.offsets) stops the
    /// sink: not the operator's configuration, so the exit code is 1, stderr still one line, and the stack trace is in
    /// the log (stdout) for whoever fixes it.</summary>
    [Fact]
    public async Task An_unexpected_failure_keeps_its_stack_trace_in_the_log_only()
    {
        var store = await bed.CreateDatabaseAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(store))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("CREATE SCHEMA cdc; CREATE VIEW cdc.offsets AS SELECT 1 AS x", connection);
            await command.ExecuteNonQueryAsync();
        }

        var result = await CliProcess.RunAsync(
            ["sink", "--bootstrap-servers", bed.Kafka.BootstrapServers, "--topics", bed.Topic, "--group", KafkaFixture.UniqueName("g"), "--store", store],
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cdc sink: failed: PostgresException: 42809: ", line, StringComparison.Ordinal);
        Assert.EndsWith("(the stack trace is in the log)", line, StringComparison.Ordinal);
        Assert.Contains("crit: cdc.sink[9002]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(" at Cdc.", result.Stdout, StringComparison.Ordinal);
    }

    private static IReadOnlyList<CommandFlag>? Hosted(string command) => command switch
    {
        "sink" => SinkHost.Command.Flags,
        "capture" => CaptureHost.Command.Flags,
        "reconcile" => ReconcileCommand.Command.Flags,
        "reconcile status" => ReconcileCommand.StatusCommand.Flags,
        "replay" => Cdc.Sink.DeadLetters.ReplayCommand.Command.Flags,
        "txn" => Cdc.Sink.Transactions.TransactionCommands.Txn.Flags,
        "wait" => Cdc.Sink.Transactions.TransactionCommands.Wait.Flags,
        _ => null,
    };

    private (string[] Args, Dictionary<string, string> Environment, string Expected) Case(string name)
    {
        var kafka = bed.Kafka.BootstrapServers;
        var busy = bed.BusyPort.ToString(CultureInfo.InvariantCulture);
        var local = new Dictionary<string, string> { ["CDC_POSTGRES"] = bed.Admin };
        string[] Sink(string store) => ["sink", "--bootstrap-servers", kafka, "--topics", bed.Topic, "--group", KafkaFixture.UniqueName("g"), "--store", store];
        string[] Capture(string source) => ["capture", "--bootstrap-servers", kafka, "--source", source, "--tables", "public.orders", "--slot", "cdc_t_never", "--publication", "cdc_t_never"];
        string[] Reconcile(string primary, string store) => ["reconcile", "--primary", primary, "--store", store];
        Dictionary<string, string> Local(string postgres) => new() { ["CDC_POSTGRES"] = postgres };
        return name switch
        {
            "sink unknown option" => ([.. Sink(bed.Database), "--frobnicate", "1"], [], "unknown option '--frobnicate'"),
            "sink wrong password" => (Sink(bed.WrongPassword), [], "password authentication failed for user \"cdc\" (28P01)"),
            "sink missing database" => (Sink(bed.MissingDatabase), [], "database \"cdc_no_such_database\" does not exist (3D000)"),
            "sink store unreachable" => ([.. Sink(bed.Unreachable), "--start-timeout", ShortStart], [], "cannot reach the store at 127.0.0.1"),
            "sink kafka unreachable" => (["sink", "--bootstrap-servers", $"127.0.0.1:{FreeTcpPort.Next()}", "--topics", "t", "--store", bed.Database, "--start-timeout", ShortStart], [], "cannot reach Kafka at 127.0.0.1"),
            "sink port in use" => ([.. Sink(bed.Database), "--metrics-port", busy], [], $":{busy}: the port is already in use"),
            "capture bad slot name" => ([.. Capture(bed.Database)[..^4], "--slot", "My-Slot"], [], "--slot 'My-Slot'"),
            "capture wrong password" => (Capture(bed.WrongPassword), [], "(28P01)"),
            "capture missing database" => (Capture(bed.MissingDatabase), [], "(3D000)"),
            "capture missing table" => ([.. Capture(bed.Database)[..^6], "--tables", "public.nonexistent"], [], "--tables: public.nonexistent does not exist in database"),
            "capture primary unreachable" => ([.. Capture(bed.Unreachable), "--start-timeout", ShortStart], [], "cannot reach the primary at 127.0.0.1"),
            "capture port in use" => ([.. Capture(bed.Database), "--metrics-port", busy], [], $":{busy}: the port is already in use"),
            "reconcile bad duration" => ([.. Reconcile(bed.Database, bed.Database), "--wait", "soon"], [], "'soon' at 'Wait'"),
            "reconcile wrong password" => (Reconcile(bed.WrongPassword, bed.Database), [], "(28P01)"),
            "reconcile missing database" => (Reconcile(bed.Database, bed.MissingDatabase), [], "(3D000)"),
            "reconcile missing table" => ([.. Reconcile(bed.Database, bed.Database), "--tables", "public.orders,public.nonexistent"], [], "--tables: public.nonexistent does not exist on the primary"),
            "reconcile store unreachable" => ([.. Reconcile(bed.Database, bed.Unreachable), "--start-timeout", ShortStart], [], "cannot reach the store at 127.0.0.1"),
            "reconcile port in use" => ([.. Reconcile(bed.Database, bed.Database), "--every", "00:15:00", "--metrics-port", busy], [], $":{busy}: the port is already in use"),
            "reconcile status missing database" => (["reconcile", "status", "--store", bed.MissingDatabase], [], "(3D000)"),
            "txn bad id" => (["txn", "twelve", "--stores", $"risk={bed.Database}"], [], "--id: 'twelve' is not a transaction id"),
            "wait bad lsn" => (["wait", "--lsn", "soon", "--stores", $"risk={bed.Database}"], [], "--lsn: 'soon' is not an LSN"),
            "wait unknown subsystem" => (["wait", "--lsn", "0/1", "--stores", $"risk={bed.Database}", "--subsystems", "risk,reporting"], [], "--subsystems: reporting not in --stores (risk)"),
            "wait wrong password" => (["wait", "--lsn", "0/1", "--stores", $"risk={bed.WrongPassword}"], [], "(28P01)"),
            "kafka unknown option" => (["kafka", "--brokers", "3", "--frobnicate"], [], "unknown option '--frobnicate'"),
            "kafka port in use" => (["kafka", "--control-port", busy], [], $":{busy}: the port is already in use"),
            "registry port in use" => (["registry", "--port", busy, "--file", Path.Combine(Path.GetTempPath(), $"cdc-t-registry-{Guid.NewGuid():N}.json")], [], $":{busy}: the port is already in use"),
            "demo wrong password" => (["demo"], Local(bed.WrongPassword), "PostgreSQL (CDC_POSTGRES) at 127.0.0.1"),
            "demo unknown option" => (["demo", "--frobnicate"], local, "unknown option '--frobnicate'"),
            "chaos missing database" => (["chaos", "--short"], Local(bed.MissingDatabase), "(3D000)"),
            "bench sink wrong password" => (["bench", "sink"], Local(bed.WrongPassword), "(28P01)"),
            "bench capture wrong password" => (["bench", "capture"], Local(bed.WrongPassword), "(28P01)"),
            "bench reconcile wrong password" => (["bench", "reconcile"], Local(bed.WrongPassword), "(28P01)"),
            "bench e2e missing database" => (["bench", "e2e"], Local(bed.MissingDatabase), "(3D000)"),
            _ => throw new ArgumentException($"no case {name}", nameof(name)),
        };
    }
}
