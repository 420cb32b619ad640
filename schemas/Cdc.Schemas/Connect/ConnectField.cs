namespace Cdc.Schemas.Connect;

public sealed record ConnectField(string Name, ConnectSchema Schema);
