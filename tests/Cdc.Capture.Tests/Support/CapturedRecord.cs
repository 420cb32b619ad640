using Cdc.Schemas.Model;

namespace Cdc.Capture.Tests.Support;

/// <summary>A record read back from a topic, decoded with the sink's own JSON decoder.</summary>
internal sealed record CapturedRecord(string Topic, int Partition, long Offset, byte[]? RawKey, byte[]? RawValue, ChangeRecord Change)
{
    public ChangeEvent? Event => Change.Event;

    /// <summary>The key's first column value as text ("" for a null key).</summary>
    public string KeyText => Change.Key is { Count: > 0 } key ? Convert.ToString(key[0].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";

    public string Op => Event?.Operation.Code() ?? "tombstone";
}
