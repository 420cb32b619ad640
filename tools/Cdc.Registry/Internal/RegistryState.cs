using System.Text.Json;
using System.Text.Json.Nodes;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;

namespace Cdc.Registry.Internal;

/// <summary>
/// Subjects, their versions, schemas by global id and compatibility settings, as Confluent's registry keeps them: one
/// id per distinct schema (the same schema under two subjects has one id), versions numbered from 1 per subject, a new
/// version checked against the subject's compatibility level (global default BACKWARD). Every change is written to the
/// file before it is answered, so ids survive a restart. Thread-safe.
/// </summary>
internal sealed class RegistryState
{
    private readonly Lock _gate = new();
    private readonly string? _file;
    private readonly List<StoredSchema> _schemas = [];
    private readonly Dictionary<string, List<int>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _subjectLevels = new(StringComparer.Ordinal);
    private string _globalLevel = Compatibility.Default;

    public RegistryState(string? file)
    {
        _file = file;
        if (file is not null && File.Exists(file))
        {
            Load(file);
        }
    }

    public string GlobalLevel
    {
        get
        {
            lock (_gate)
            {
                return _globalLevel;
            }
        }
    }

    public IReadOnlyList<string> Subjects()
    {
        lock (_gate)
        {
            return _subjects.Where(s => s.Value.Count > 0).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <returns>Null when the subject does not exist.</returns>
    public IReadOnlyList<int>? Versions(string subject)
    {
        lock (_gate)
        {
            return _subjects.TryGetValue(subject, out var ids) && ids.Count > 0 ? Enumerable.Range(1, ids.Count).ToList() : null;
        }
    }

    public StoredSchema? ById(int id)
    {
        lock (_gate)
        {
            return id >= 1 && id <= _schemas.Count ? _schemas[id - 1] : null;
        }
    }

    /// <returns>(subject, version) pairs that use the schema.</returns>
    public IReadOnlyList<(string Subject, int Version)> Uses(int id)
    {
        lock (_gate)
        {
            return _subjects.SelectMany(s => s.Value.Select((v, i) => (s.Key, Id: v, Version: i + 1)))
                .Where(u => u.Id == id).Select(u => (u.Key, u.Version)).ToList();
        }
    }

    /// <param name="version">1-based, or -1 for the latest.</param>
    /// <returns>Error code 40401 or 40402 when absent.</returns>
    public (StoredSchema? Schema, int Version, int ErrorCode) Version(string subject, int version)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var ids) || ids.Count == 0)
            {
                return (null, 0, SchemaRegistryErrorCodes.SubjectNotFound);
            }

            var index = version == -1 ? ids.Count - 1 : version - 1;
            return index >= 0 && index < ids.Count ? (_schemas[ids[index] - 1], index + 1, 0) : (null, 0, SchemaRegistryErrorCodes.VersionNotFound);
        }
    }

    /// <returns>The id, or the incompatibility (HTTP 409).</returns>
    /// <exception cref="global::Avro.AvroException">Not a valid Avro schema (42201).</exception>
    public (int Id, string? Conflict) Register(string subject, string schema)
    {
        var parsed = Parse(schema);
        var canonical = parsed.ToString();
        lock (_gate)
        {
            var versions = _subjects.TryGetValue(subject, out var existing) ? existing : [];
            var known = _schemas.FindIndex(s => s.Canonical == canonical) + 1;
            if (known > 0 && versions.Contains(known))
            {
                return (known, null);
            }

            var level = _subjectLevels.GetValueOrDefault(subject, _globalLevel);
            if (Compatibility.Problem(level, versions.Select(id => Parse(_schemas[id - 1].Schema)).ToList(), parsed) is { } problem)
            {
                return (0, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{problem}]; compatibility {level}");
            }

            if (known == 0)
            {
                _schemas.Add(new StoredSchema(_schemas.Count + 1, schema, canonical));
                known = _schemas.Count;
            }

            versions.Add(known);
            _subjects[subject] = versions;
            Save();
            return (known, null);
        }
    }

    /// <returns>The schema and its version under the subject; error code 40401 or 40403 when absent.</returns>
    /// <exception cref="global::Avro.AvroException">Not a valid Avro schema (42201).</exception>
    public (StoredSchema? Schema, int Version, int ErrorCode) Lookup(string subject, string schema)
    {
        var canonical = Parse(schema).ToString();
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var ids) || ids.Count == 0)
            {
                return (null, 0, SchemaRegistryErrorCodes.SubjectNotFound);
            }

            var index = ids.FindIndex(id => _schemas[id - 1].Canonical == canonical);
            return index >= 0 ? (_schemas[ids[index] - 1], index + 1, 0) : (null, 0, SchemaRegistryErrorCodes.SchemaNotFound);
        }
    }

    /// <summary>Whether <paramref name="schema"/> could be registered as the next version of <paramref name="subject"/>.</summary>
    public string? CompatibilityProblem(string subject, string schema, int version)
    {
        var parsed = Parse(schema);
        lock (_gate)
        {
            var ids = _subjects.GetValueOrDefault(subject) ?? [];
            var upTo = version == -1 ? ids.Count : Math.Min(version, ids.Count);
            var level = _subjectLevels.GetValueOrDefault(subject, _globalLevel);
            return Compatibility.Problem(level, ids.Take(upTo).Select(id => Parse(_schemas[id - 1].Schema)).ToList(), parsed);
        }
    }

    /// <returns>The subject's own level, or null when it has none.</returns>
    public string? SubjectLevel(string subject)
    {
        lock (_gate)
        {
            return _subjectLevels.GetValueOrDefault(subject);
        }
    }

    /// <param name="subject">Null for the global level.</param>
    /// <param name="level">Null removes a subject's own level.</param>
    public void SetLevel(string? subject, string? level)
    {
        lock (_gate)
        {
            if (subject is null)
            {
                _globalLevel = level ?? Compatibility.Default;
            }
            else if (level is null)
            {
                _subjectLevels.Remove(subject);
            }
            else
            {
                _subjectLevels[subject] = level;
            }

            Save();
        }
    }

    /// <summary>Registers a schema as Java's registry parses it: an invalid logical type is ignored, not refused.</summary>
    private static global::Avro.Schema Parse(string schema) => LenientAvroSchema.Parse(schema);

    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        var state = new JsonObject
        {
            ["schemas"] = new JsonArray([.. _schemas.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["schema"] = s.Schema })]),
            ["subjects"] = new JsonObject(_subjects.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)new JsonArray([.. s.Value.Select(id => (JsonNode)id)])))),
            ["compatibility"] = new JsonObject
            {
                ["global"] = _globalLevel,
                ["subjects"] = new JsonObject(_subjectLevels.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
            },
        };

        // Written beside and moved over the old file: a crash mid-write never leaves a torn file.
        var temporary = _file + ".tmp";
        File.WriteAllText(temporary, state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, _file, overwrite: true);
    }

    private void Load(string file)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var schema in root["schemas"]!.AsArray())
            {
                var text = (string)schema!["schema"]!;
                var id = (int)schema["id"]!;
                if (id != _schemas.Count + 1)
                {
                    throw new InvalidDataException($"schema ids must run 1, 2, 3, ...; found {id} after {_schemas.Count}");
                }

                _schemas.Add(new StoredSchema(id, text, Parse(text).ToString()));
            }

            foreach (var (subject, ids) in root["subjects"]!.AsObject())
            {
                _subjects[subject] = ids!.AsArray().Select(id => (int)id!).ToList();
            }

            _globalLevel = (string?)root["compatibility"]?["global"] ?? Compatibility.Default;
            foreach (var (subject, level) in root["compatibility"]?["subjects"]?.AsObject() ?? [])
            {
                _subjectLevels[subject] = (string)level!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or global::Avro.AvroException or FormatException)
        {
            throw new InvalidDataException($"{file} is not a registry file this command wrote: {e.Message}", e);
        }
    }
}
