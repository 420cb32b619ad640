using System.Text.Json.Serialization;

namespace Cdc.Capture.Kafka;

/// <summary>The value of a <c>&lt;prefix&gt;.skipped-rows</c> record (<see cref="SkippedRows"/>).</summary>
internal sealed record SkippedRow(
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("bytes")] long? Bytes,
    [property: JsonPropertyName("limit")] long Limit,
    [property: JsonPropertyName("lsn")] long? Lsn,
    [property: JsonPropertyName("filter")] string? Filter);
