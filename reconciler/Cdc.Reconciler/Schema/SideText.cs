namespace Cdc.Reconciler.Schema;

/// <summary>One side's canonical text of a column (see <see cref="CanonicalText"/>).</summary>
/// <param name="Expression">SQL over the quoted column, of type text, NULL exactly when the value is NULL.</param>
/// <param name="Invertible">The column's own type reads the text back as the same value, so a key can be matched by
/// <c>column = text::type</c> (using its index); otherwise it is matched by its canonical text.</param>
internal sealed record SideText(string Expression, bool Invertible)
{
    /// <summary>A cheaper form the row hash reads instead of the text, equal exactly when the texts are (<see cref="HashInput"/>).</summary>
    public string? Hash { get; init; }

    /// <summary>What the row hash reads of the column.</summary>
    public string HashExpression => Hash ?? Expression;
}
