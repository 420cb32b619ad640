using System.Text;
using System.Text.Json;

namespace Cdc.Schemas.Json.Internal;

/// <summary>
/// Maps property names to field indexes. Debezium writes fields in a fixed order, so the field after the last
/// match is tried first: usually one comparison per property instead of a scan.
/// </summary>
internal sealed class FieldMatcher
{
    private readonly byte[][] _names;

    public FieldMatcher(params string[] names)
    {
        _names = Array.ConvertAll(names, n => Encoding.UTF8.GetBytes(n));
    }

    /// <summary>The index of <paramref name="property"/>'s name, or -1; <paramref name="next"/> is the position hint, updated on a match.</summary>
    public int Match(JsonProperty property, ref int next)
    {
        if (next < _names.Length && property.NameEquals(_names[next]))
        {
            return next++;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (property.NameEquals(_names[i]))
            {
                next = i + 1;
                return i;
            }
        }

        return -1;
    }
}
