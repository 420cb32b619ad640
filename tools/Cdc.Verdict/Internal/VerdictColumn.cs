namespace Cdc.Verdict.Internal;

/// <param name="Type"><c>format_type()</c> of the column (a domain: of its base type).</param>
/// <param name="Base">The same without modifiers.</param>
/// <param name="Category"><c>pg_type.typcategory</c> of that type.</param>
internal sealed record VerdictColumn(string Name, string Type, string Base, char Category);
