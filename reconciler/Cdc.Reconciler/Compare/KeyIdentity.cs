using System.Globalization;
using System.Text;

namespace Cdc.Reconciler.Compare;

/// <summary>A row's identity from its key's canonical texts: each text prefixed by its length, so no two keys share one.</summary>
internal static class KeyIdentity
{
    public static string Of(IReadOnlyList<string> keyValues)
    {
        var identity = new StringBuilder();
        foreach (var value in keyValues)
        {
            identity.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }

        return identity.ToString();
    }
}
