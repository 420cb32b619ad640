namespace Cdc.Schemas.Transactions;

/// <summary>The <c>status</c> of a <c>&lt;prefix&gt;.transaction</c> record.</summary>
public enum TransactionStatus
{
    Begin,
    End,
}
