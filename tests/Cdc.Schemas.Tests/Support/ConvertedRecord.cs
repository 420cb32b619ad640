using Cdc.Schemas.Model;

namespace Cdc.Schemas.Tests.Support;

/// <summary>A fixture record decoded from JSON, and the same record as AvroConverter would have written it.</summary>
internal sealed record ConvertedRecord(string Description, ChangeRecord Json, byte[]? Key, byte[]? Value);
