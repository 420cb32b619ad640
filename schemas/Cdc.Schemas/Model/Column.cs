using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Model;

/// <summary>
/// One field of a row image. <see cref="Value"/> holds a decoded value (see <see cref="ConnectValue"/> for the
/// .NET type of each Connect type), <see cref="Unavailable.Value"/> for an unchanged TOAST column, or, when
/// the message carried no schema, the raw <see cref="System.Text.Json.JsonElement"/> with a null
/// <see cref="Schema"/> until <see cref="RowImage.WithSchema"/> resolves it.
/// </summary>
public readonly record struct Column(string Name, object? Value, ConnectSchema? Schema);
