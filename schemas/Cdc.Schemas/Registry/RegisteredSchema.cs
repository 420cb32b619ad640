namespace Cdc.Schemas.Registry;

/// <summary>A schema as registered under a subject: <c>{"subject", "id", "version", "schema"}</c>.</summary>
public sealed record RegisteredSchema(string Subject, int Id, int Version, string Schema);
