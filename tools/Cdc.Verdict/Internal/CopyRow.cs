namespace Cdc.Verdict.Internal;

/// <summary>One row as COPY printed it: the key's fields first, then the other compared columns (null for NULL).</summary>
internal sealed record CopyRow(string[] Key, string?[] Fields)
{
    public static int CompareKeys(CopyRow a, CopyRow b)
    {
        for (var i = 0; i < a.Key.Length; i++)
        {
            var order = string.CompareOrdinal(a.Key[i], b.Key[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}
