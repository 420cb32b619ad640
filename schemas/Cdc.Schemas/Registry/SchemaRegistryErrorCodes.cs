namespace Cdc.Schemas.Registry;

/// <summary>The <c>error_code</c> values of the Schema Registry REST API's error bodies.</summary>
public static class SchemaRegistryErrorCodes
{
    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    /// <summary>The schema is incompatible with an earlier version (HTTP 409).</summary>
    public const int IncompatibleSchema = 409;
    public const int InvalidSchema = 42201;
    public const int InvalidVersion = 42202;
    public const int InvalidCompatibilityLevel = 42203;
    public const int StoreError = 50001;
    public const int OperationTimeout = 50002;
    public const int ForwardingError = 50003;
}
