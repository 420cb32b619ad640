namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// A value that does not fit its schema. Internal: it collects the field path on the way out
/// (cheap on the happy path) and is turned into an <see cref="EventDecodeException"/> at the API boundary.
/// </summary>
#pragma warning disable CA1064 // Never escapes the assembly.
internal sealed class ValueDecodeError : Exception
#pragma warning restore CA1064
{
    private readonly List<string> _reversedPath = [];

    public ValueDecodeError(string problem)
        : base(problem)
    {
    }

    public ValueDecodeError()
    {
    }

    public ValueDecodeError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public void PushField(string name) => _reversedPath.Add(name);

    public void PushIndex(int index) => _reversedPath.Add("[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");

    /// <summary>"<paramref name="root"/>.a.b[2]: problem".</summary>
    public string Describe(string? root)
    {
        var path = new System.Text.StringBuilder(root);
        for (var i = _reversedPath.Count - 1; i >= 0; i--)
        {
            var segment = _reversedPath[i];
            // A map key may be empty: never index into a segment.
            if (path.Length > 0 && !segment.StartsWith('['))
            {
                path.Append('.');
            }

            path.Append(segment);
        }

        return path.Length == 0 ? Message : $"{path}: {Message}";
    }
}
