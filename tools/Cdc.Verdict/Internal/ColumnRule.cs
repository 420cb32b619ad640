namespace Cdc.Verdict.Internal;

/// <summary>
/// What each side selects for one column so that values the sink's type mapping keeps equal print equal: PostgreSQL's
/// own text of the value, except where the mapping converts on purpose. The conversions, from the sink's type mapping
/// (json as jsonb, money as numeric, char(n) as text, bit(1) as boolean, point as Debezium's struct in jsonb, another
/// numeric type or scale) and from Debezium's (a timetz keeps its UTC time, not its offset; a bit varying(n) arrives
/// padded to n bits).
/// </summary>
internal sealed record ColumnRule(string Primary, string Store)
{
    private static readonly string[] Json = ["json", "jsonb"];
    private static readonly string[] Integers = ["smallint", "integer", "bigint"];

    public static ColumnRule For(VerdictColumn primary, VerdictColumn store)
    {
        var (p, s) = (Sql.Quote(primary.Name), Sql.Quote(store.Name));
        var (a, b) = (primary.Base, store.Base);
        if (a == "bit varying" && primary.Type.StartsWith("bit varying(", StringComparison.Ordinal) && store.Category == 'V')
        {
            var length = primary.Type["bit varying(".Length..^1];
            return Both(p, s, x => $"lpad({x}::text, {length}, '0')");
        }

        if (a == "time with time zone" && b == a)
        {
            return Both(p, s, x => $"({x} AT TIME ZONE 'UTC')");
        }

        if ((Json.Contains(a) || a == "hstore") && Json.Contains(b))
        {
            return Both(p, s, x => $"{x}::jsonb");
        }

        if (a == "point" && Json.Contains(b))
        {
            return new(p, $"point(({s}::jsonb ->> 'x')::float8, ({s}::jsonb ->> 'y')::float8)");
        }

        if (a is "json[]" or "jsonb[]" && b is "json[]" or "jsonb[]")
        {
            return Both(p, s, x => $"{x}::jsonb[]");
        }

        if (a == "character" || b == "character")
        {
            return Both(p, s, x => $"rtrim({x}::text)");
        }

        if (primary.Type is "bit(1)" or "bit varying(1)" && b == "boolean")
        {
            return new($"({p} = B'1')", s);
        }

        if (a == "money[]")
        {
            return new($"{p}::numeric[]", s);
        }

        if (primary.Type == store.Type)
        {
            return new(p, s);
        }

        if ((primary.Category == 'N' || a == "money") && store.Category == 'N')
        {
            var value = a == "money" ? $"{p}::numeric" : p;
            return a == "real" || b == "real" ? new($"{value}::real", $"{s}::real")
                : a == "double precision" || b == "double precision" ? new($"{value}::float8", $"{s}::float8")
                : Integers.Contains(a) && Integers.Contains(b) ? new(p, s)
                : new($"trim_scale({value}::numeric)", $"trim_scale({s}::numeric)");
        }

        return primary.Category == store.Category && primary.Category is 'D' or 'T' && a == b ? Both(p, s, x => $"{x}::{a}") : new(p, s);
    }

    private static ColumnRule Both(string primary, string store, Func<string, string> expression) => new(expression(primary), expression(store));
}
