using Cdc.Store.Failures;
using Npgsql;

namespace Cdc.Sink.Tests.Store;

public sealed class StoreFailuresTests
{
    [Theory]
    [InlineData("57P01", FailureKind.Transient)] // admin_shutdown: PostgreSQL restarting
    [InlineData("08006", FailureKind.Transient)]
    [InlineData("40001", FailureKind.Transient)]
    [InlineData("53300", FailureKind.Transient)]
    [InlineData("22P02", FailureKind.Data)] // invalid text representation
    [InlineData("23502", FailureKind.Data)] // not null violation
    [InlineData("54000", FailureKind.Data)]
    [InlineData("42501", FailureKind.Store)] // insufficient privilege: every row would fail, never dead-letter
    [InlineData("42701", FailureKind.Data)] // a column named twice: that table's definition (issue 13)
    [InlineData("428C9", FailureKind.Data)] // a generated column in the store table
    [InlineData("42809", FailureKind.Data)] // the target is a view
    [InlineData("42P16", FailureKind.Data)]
    [InlineData("3D000", FailureKind.Store)]
    public void Classify_SqlState_GivesWhatTheSinkMustDo(string sqlState, FailureKind expected) =>
        Assert.Equal(expected, StoreFailures.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void Classify_SocketFailure_IsTransient() =>
        Assert.Equal(FailureKind.Transient, StoreFailures.Classify(new NpgsqlException("x", new System.Net.Sockets.SocketException())));

    [Theory]
    [InlineData("XX000", "COPY stage_1, line 1, column attrs: \"{\"x\":\"y\"}\"", FailureKind.Data)] // hstore's parser
    [InlineData("42601", "COPY stage_1, line 3, column attrs: \"x\"", FailureKind.Data)]
    [InlineData("XX000", "COPY stage_1, line 1", FailureKind.Store)] // not in a value's conversion
    [InlineData("XX000", null, FailureKind.Store)]
    [InlineData("57P01", "COPY stage_1, line 1, column attrs: \"x\"", FailureKind.Transient)]
    public void Classify_ErrorWhileCopyConvertsAValue_IsThatValuesFault(string sqlState, string? where, FailureKind expected) =>
        Assert.Equal(expected, StoreFailures.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState, where: where)));
}
