using System.Text.Json;

namespace Cdc.Schemas.Connect;

public static partial class ConnectValue
{
    // TEMPORARY: filled in by the decoder work (schemas helper) in this same change.
    public static object? FromJson(JsonElement element, ConnectSchema schema) => throw new NotImplementedException();
}
