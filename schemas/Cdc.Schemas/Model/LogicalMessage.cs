namespace Cdc.Schemas.Model;

/// <summary>The payload of an <c>op = m</c> event (<c>pg_logical_emit_message</c>).</summary>
public sealed record LogicalMessage(string Prefix, byte[] Content);
