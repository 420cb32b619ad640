using System.Text.Json;
using Cdc.Common.Postgres;
using Cdc.Schemas.Transactions;


namespace Cdc.Sink.Transactions;

/// <summary>The JSON of <c>cdc txn --json</c>, <c>cdc wait --json</c> and the sink's endpoints (one shape for all).</summary>
public static class TransactionJson
{
    public static void Write(Utf8JsonWriter json, string subsystem, Cdc.Store.Transactions.TransactionStatus? status)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("subsystem", subsystem);
        json.WriteBoolean("found", status is not null);
        if (status is not null)
        {
            json.WriteNumber("xid", status.Xid);
            if (status.CommitLsn is { } commit)
            {
                json.WriteString("id", TransactionMetadata.FormatId(status.Xid, commit));
                json.WriteString("commit_lsn", PgLsn.Format(commit));
            }

            json.WriteString("state", status.State);
            json.WriteNumber("applied", status.Applied);
            json.WriteNumber("failed", status.Failed);
            Number(json, "expected", status.Expected);
            Number(json, "total_events", status.TotalEvents);
            Time(json, "commit_time", status.CommitTime);
            Time(json, "completed_at", status.CompletedAt);
            if (status.Duration is { } duration)
            {
                json.WriteNumber("duration_ms", Math.Round(duration.TotalMilliseconds, 1));
            }

            json.WriteStartArray("failed_keys");
            foreach (var key in status.FailedKeys)
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter json, BarrierResult result)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(result);
        json.WriteStartObject();
        json.WriteString("subsystem", result.Subsystem);
        json.WriteString("lsn", PgLsn.Format(result.Lsn));
        json.WriteBoolean("reached", result.Reached);
        if (result.Watermark is { } watermark)
        {
            json.WriteString("watermark", PgLsn.Format(watermark));
        }
        else
        {
            json.WriteNull("watermark");
        }

        json.WriteStartArray("partial_failures");
        foreach (var failed in result.Failed)
        {
            Write(json, result.Subsystem, failed);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One line for people: <c>risk: PROCESSING 1234 of 5000 applied (commit 0/1A2B3C4, 12:00:01.250)</c>.</summary>
    public static string Line(string subsystem, Cdc.Store.Transactions.TransactionStatus? status)
    {
        if (status is null)
        {
            return $"{subsystem}: unknown (not seen on the transaction topic, or older than the retention)";
        }

        var of = status.Expected is { } m ? $"{status.Applied} of {m} applied" : $"{status.Applied} applied (END not read yet)";
        var failed = status.Failed > 0 ? $", {status.Failed} dead-lettered: {string.Join("; ", status.FailedKeys)}" : "";
        var took = status.Duration is { } d ? $", visible {d.TotalMilliseconds:0} ms after commit" : "";
        var commit = status.CommitLsn is { } c ? $"commit {PgLsn.Format(c)}" : "not committed yet";
        return $"{subsystem}: {status.State} {of}{failed} (xid {status.Xid}, {commit}{took})";
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v.ToUniversalTime());
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
