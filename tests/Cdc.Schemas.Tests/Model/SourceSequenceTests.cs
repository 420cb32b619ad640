using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Model;

public class SourceSequenceTests
{
    [Theory]
    [InlineData("[\"24023119\",\"24023128\"]", null, 24023119L, 24023128L)]
    [InlineData("[\"24023119\",\"24023128\"]", 1L, 24023119L, 24023128L)]
    [InlineData("[null,\"23801480\"]", null, 0L, 23801480L)]
    [InlineData("[\"5\",null]", 77L, 5L, 77L)]
    [InlineData("[\"5\",null]", null, 5L, 0L)]
    [InlineData("[null,null]", 9L, 0L, 9L)]
    [InlineData(null, 9L, 0L, 9L)]
    [InlineData("[]", 3L, 0L, 3L)]
    [InlineData("[1,2]", null, 1L, 2L)]
    [InlineData(" [ \"1\" , \"2\" ] ", null, 1L, 2L)]
    public void ToChangeVersion_SequenceAndLsn_CommitThenEventLsn(string? sequence, long? lsn, long commit, long eventLsn)
    {
        Assert.Equal(new ChangeVersion(commit, eventLsn), SourceSequence.ToChangeVersion(sequence, lsn));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[null,null]")]
    [InlineData("[]")]
    public void ToChangeVersion_NoLsnAnywhere_Null(string? sequence)
    {
        Assert.Null(SourceSequence.ToChangeVersion(sequence, null));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{}", "not a JSON array")]
    [InlineData("[\"1\",\"2\",\"3\"]", "more than two elements")]
    [InlineData("[\"0x10\"]", "element \"0x10\" is not a non-negative int64")]
    [InlineData("[\"-1\"]", "is not a non-negative int64")]
    [InlineData("[\"99999999999999999999\"]", "is not a non-negative int64")]
    [InlineData("[true]", "unexpected True")]
    [InlineData("[\"1\"] x", "not valid JSON")]
    [InlineData("[\"1\"", "not valid JSON")]
    public void Parse_Malformed_ThrowsEventDecodeException(string sequence, string expected)
    {
        var error = Assert.Throws<EventDecodeException>(() => SourceSequence.Parse(sequence));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeVersion_ConcurrentTransactions_OrderedByCommitNotByEventLsn()
    {
        // T1 starts first (its change is at LSN 100) but commits after T2 (change at 150, commit at 160).
        // Streaming emits T2 then T1; per-event LSN would order them the other way round.
        var t2 = SourceSequence.ToChangeVersion("[\"90\",\"150\"]", 150)!.Value;
        var t1 = SourceSequence.ToChangeVersion("[\"160\",\"100\"]", 100)!.Value;

        Assert.True(t1 > t2);
        Assert.True(t2 < t1);
        Assert.True(t1.CompareTo(t2) > 0);
    }

    [Fact]
    public void ChangeVersion_SameTransaction_OrderedByEventLsn()
    {
        var versions = new[] { "[\"160\",\"230\"]", "[\"160\",\"170\"]", "[\"160\",\"200\"]" }
            .Select(s => SourceSequence.ToChangeVersion(s, null)!.Value)
            .Order()
            .Select(v => v.ToString());

        Assert.Equal(["160/170", "160/200", "160/230"], versions);
    }

    [Fact]
    public void ChangeVersion_SnapshotBeforeStreaming_SortsFirst()
    {
        var snapshot = SourceSequence.ToChangeVersion("[null,\"23801480\"]", 23801480)!.Value;
        var streamed = SourceSequence.ToChangeVersion("[\"23801480\",\"23801600\"]", 23801600)!.Value;

        Assert.True(snapshot < streamed);
        Assert.True(snapshot <= streamed);
        Assert.True(streamed >= snapshot);
    }
}
