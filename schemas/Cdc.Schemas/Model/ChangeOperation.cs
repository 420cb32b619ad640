namespace Cdc.Schemas.Model;

/// <summary>Debezium's <c>op</c> codes.</summary>
public enum ChangeOperation
{
    /// <summary><c>c</c>: a row was inserted.</summary>
    Create,
    /// <summary><c>u</c>: a row was updated.</summary>
    Update,
    /// <summary><c>d</c>: a row was deleted.</summary>
    Delete,
    /// <summary><c>r</c>: a row was read by a snapshot (initial or incremental).</summary>
    Read,
    /// <summary><c>t</c>: the table was truncated.</summary>
    Truncate,
    /// <summary><c>m</c>: a logical decoding message.</summary>
    Message,
}
