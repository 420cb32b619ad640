using System.Text.Json;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal;

internal static partial class JsonValueReader
{
    private static object ReadArray(JsonElement element, ConnectSchema schema, bool column)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(element, schema, "an array");
        }

        var items = schema.Items ?? throw new ValueDecodeError("array schema without 'items'");
        if (column && ToastPlaceholder.IsArray(element, items))
        {
            return Unavailable.Value;
        }

        var result = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            try
            {
                result[i] = Read(item, items, column: false);
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(i);
                throw;
            }

            i++;
        }

        return result;
    }

    /// <summary>JsonConverter writes string-keyed maps as objects and all other maps as arrays of [key, value].</summary>
    private static object ReadMap(JsonElement element, ConnectSchema schema, bool column)
    {
        var keys = schema.Keys ?? throw new ValueDecodeError("map schema without 'keys'");
        var values = schema.Values ?? throw new ValueDecodeError("map schema without 'values'");
        if (column && ToastPlaceholder.IsMap(element))
        {
            return Unavailable.Value;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            if (keys.Type != ConnectType.String)
            {
                throw Mismatch(element, schema, "an array of [key, value] pairs (keys are not strings)");
            }

            var entries = new List<KeyValuePair<object?, object?>>();
            foreach (var property in element.EnumerateObject())
            {
                try
                {
                    entries.Add(new(property.Name, Read(property.Value, values, column: false)));
                }
                catch (ValueDecodeError error)
                {
                    error.PushField(property.Name);
                    throw;
                }
            }

            return entries.ToArray();
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(element, schema, "an object or an array of [key, value] pairs");
        }

        var pairs = new KeyValuePair<object?, object?>[element.GetArrayLength()];
        var i = 0;
        foreach (var pair in element.EnumerateArray())
        {
            try
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                {
                    throw new ValueDecodeError($"expected a [key, value] pair, got {JsonText.Kind(pair)}");
                }

                pairs[i] = new(Read(pair[0], keys, column: false), Read(pair[1], values, column: false));
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(i);
                throw;
            }

            i++;
        }

        return pairs;
    }
}
