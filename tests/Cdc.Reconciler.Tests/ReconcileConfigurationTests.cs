using Cdc.Common.Configuration;

namespace Cdc.Reconciler.Tests;

public sealed class ReconcileConfigurationTests
{
    [Fact]
    public void Flags_bind_onto_the_options()
    {
        var options = ReconcileConfiguration.Load(
            ["--primary", "Host=p", "--store", "Host=s", "--repair", "resnapshot", "--json", "--tables", "public.a, sales.b", "--every", "00:05:00", "--wait", "00:00:30", "--slot", "debezium", "--parallel", "4"]);

        Assert.Equal(RepairMode.Resnapshot, options.Repair);
        Assert.True(options.Json);
        Assert.Equal(["public.a", "sales.b"], options.Tables);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Every);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Wait);
        Assert.Equal("debezium", options.Slot);
        Assert.Equal(4, options.Parallel);
    }

    [Theory]
    [InlineData("--tables", "no_schema", "is not schema.table")]
    [InlineData("--every", "00:00:00.1", "--every must be at least")]
    [InlineData("--sink-config", "/no/such/file.json", "does not exist")]
    [InlineData("--parallel", "0", "--parallel must be between 1 and 64")]
    public void Bad_values_are_named(string flag, string value, string message)
    {
        var error = Assert.Throws<ConfigurationError>(() => ReconcileConfiguration.Load(["--primary", "Host=p", "--store", "Host=s", flag, value]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--primary", "Host=p;Maximum Pool Size=3", "--store", "Host=s", "--primary's Maximum Pool Size is 3")]
    [InlineData("--primary", "Host=p", "--store", "Host=s;Maximum Pool Size=2", "--store's Maximum Pool Size is 2")]
    public void A_pool_smaller_than_parallel_is_refused(string primaryFlag, string primary, string storeFlag, string store, string message)
    {
        var error = Assert.Throws<ConfigurationError>(() => ReconcileConfiguration.Load([primaryFlag, primary, storeFlag, store, "--parallel", "4"]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_as_large_as_parallel_is_enough() =>
        Assert.Equal(4, ReconcileConfiguration.Load(["--primary", "Host=p;Maximum Pool Size=4", "--store", "Host=s;Maximum Pool Size=4", "--parallel", "4"]).Parallel);

    [Fact]
    public void The_primary_is_required()
    {
        var error = Assert.Throws<ConfigurationError>(() => ReconcileConfiguration.Load(["--store", "Host=s"]));
        Assert.Contains("--primary", error.Message, StringComparison.Ordinal);
    }
}
