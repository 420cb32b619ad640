namespace Cdc.Schemas.Model;

/// <summary>Debezium's one-letter <c>op</c> code of a <see cref="ChangeOperation"/>.</summary>
public static class ChangeOperationCodes
{
    public static string Code(this ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => "c",
        ChangeOperation.Update => "u",
        ChangeOperation.Delete => "d",
        ChangeOperation.Read => "r",
        ChangeOperation.Truncate => "t",
        ChangeOperation.Message => "m",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
