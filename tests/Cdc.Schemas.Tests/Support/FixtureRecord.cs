namespace Cdc.Schemas.Tests.Support;

internal sealed record FixtureRecord(string Description, byte[]? Key, byte[]? Value);
