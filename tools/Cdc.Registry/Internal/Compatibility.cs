namespace Cdc.Registry.Internal;

/// <summary>Confluent's compatibility levels: which earlier versions a new schema is checked against, and how.</summary>
internal static class Compatibility
{
    public const string Default = "BACKWARD";

    public static readonly string[] Levels = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];

    /// <summary>The first problem of <paramref name="candidate"/> against <paramref name="versions"/> (oldest first), or null.</summary>
    public static string? Problem(string level, IReadOnlyList<global::Avro.Schema> versions, global::Avro.Schema candidate)
    {
        if (level == "NONE" || versions.Count == 0)
        {
            return null;
        }

        var against = level.EndsWith("_TRANSITIVE", StringComparison.Ordinal) ? versions : [versions[^1]];
        var backward = level.StartsWith("BACKWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal);
        var forward = level.StartsWith("FORWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal);
        foreach (var earlier in against)
        {
            // BACKWARD: a reader of the new schema reads data written with the earlier one; FORWARD: the other way round.
            if (backward && !CanRead(candidate, earlier))
            {
                return $"BACKWARD: the new schema cannot read data written with an earlier version ({Describe(earlier)})";
            }

            if (forward && !CanRead(earlier, candidate))
            {
                return $"FORWARD: an earlier version ({Describe(earlier)}) cannot read data written with the new schema";
            }
        }

        return null;
    }

    /// <summary>
    /// Avro's schema resolution (the specification's rules, as Java's <c>SchemaCompatibility</c> applies them): can a
    /// reader with <paramref name="reader"/> read data written with <paramref name="writer"/>? Apache.Avro's own
    /// <c>CanRead</c> matches records in unions by name only, so a nested record's new required field would pass.
    /// </summary>
    public static bool CanRead(global::Avro.Schema reader, global::Avro.Schema writer) => CanRead(reader, writer, []);

    private static bool CanRead(global::Avro.Schema reader, global::Avro.Schema writer, HashSet<(global::Avro.Schema, global::Avro.Schema)> inProgress)
    {
        if (writer is global::Avro.UnionSchema writerUnion)
        {
            return writerUnion.Schemas.All(branch => CanRead(reader, branch, inProgress));
        }

        if (reader is global::Avro.UnionSchema readerUnion)
        {
            return readerUnion.Schemas.Any(branch => CanRead(branch, writer, inProgress));
        }

        // A recursive type being compared is assumed compatible until shown otherwise.
        if (!inProgress.Add((reader, writer)))
        {
            return true;
        }

        return (reader, writer) switch
        {
            (global::Avro.RecordSchema r, global::Avro.RecordSchema w) => r.Name == w.Name && r.Fields.All(field =>
                w.TryGetField(field.Name, out var written) || field.Aliases?.FirstOrDefault(a => w.TryGetField(a, out written)) is not null
                    ? CanRead(field.Schema, written!.Schema, inProgress)
                    : field.DefaultValue is not null),
            (global::Avro.EnumSchema r, global::Avro.EnumSchema w) => r.Name == w.Name && (r.Default is not null || w.Symbols.All(r.Symbols.Contains)),
            (global::Avro.FixedSchema r, global::Avro.FixedSchema w) => r.Name == w.Name && r.Size == w.Size,
            (global::Avro.ArraySchema r, global::Avro.ArraySchema w) => CanRead(r.ItemSchema, w.ItemSchema, inProgress),
            (global::Avro.MapSchema r, global::Avro.MapSchema w) => CanRead(r.ValueSchema, w.ValueSchema, inProgress),
            (global::Avro.PrimitiveSchema r, global::Avro.PrimitiveSchema w) => Promotes(w.Tag, r.Tag),
            _ => false,
        };
    }

    /// <summary>The same primitive type, or one of Avro's promotions.</summary>
    private static bool Promotes(global::Avro.Schema.Type from, global::Avro.Schema.Type to) => from == to || (from, to) switch
    {
        (global::Avro.Schema.Type.Int, global::Avro.Schema.Type.Long or global::Avro.Schema.Type.Float or global::Avro.Schema.Type.Double) => true,
        (global::Avro.Schema.Type.Long, global::Avro.Schema.Type.Float or global::Avro.Schema.Type.Double) => true,
        (global::Avro.Schema.Type.Float, global::Avro.Schema.Type.Double) => true,
        (global::Avro.Schema.Type.String, global::Avro.Schema.Type.Bytes) or (global::Avro.Schema.Type.Bytes, global::Avro.Schema.Type.String) => true,
        _ => false,
    };

    private static string Describe(global::Avro.Schema schema) => schema is global::Avro.NamedSchema named ? named.Fullname : schema.Tag.ToString();
}
