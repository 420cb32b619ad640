namespace Cdc.Registry.Internal;

/// <summary>A schema as registered: its global id, the text first registered, and that text's canonical form.</summary>
internal sealed record StoredSchema(int Id, string Schema, string Canonical);
