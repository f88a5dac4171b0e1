using System.Reflection;
using System.Text.Json.Nodes;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Schema;

/// <summary>
/// The schema and the parser know the same keys, mapping by mapping, both ways: every key the parser
/// accepts (<see cref="RecipeKeys"/>) is a property in the schema, every property the schema names is
/// a key the parser accepts, and every fixed-key object in the schema is one of the parser's mappings.
/// </summary>
public sealed class SchemaKeysTests
{
    /// <summary>Each list of <see cref="RecipeKeys"/> and the schema objects that describe that mapping
    /// (base has one object per kind of base).</summary>
    private static readonly Dictionary<string, string[]> Locations = new(StringComparer.Ordinal)
    {
        [nameof(RecipeKeys.Root)] = [""],
        [nameof(RecipeKeys.Base)] = ["/$defs/base/oneOf/1", "/$defs/base/oneOf/2", "/$defs/base/oneOf/3"],
        [nameof(RecipeKeys.Defaults)] = ["/$defs/defaults"],
        [nameof(RecipeKeys.Config)] = ["/$defs/config"],
        [nameof(RecipeKeys.Healthcheck)] = ["/$defs/healthcheck"],
        [nameof(RecipeKeys.Step)] = ["/$defs/step"],
        [nameof(RecipeKeys.Extract)] = ["/$defs/extract"],
        [nameof(RecipeKeys.Copy)] = ["/$defs/copy"],
        [nameof(RecipeKeys.File)] = ["/$defs/file"],
        [nameof(RecipeKeys.Dir)] = ["/$defs/dir"],
        [nameof(RecipeKeys.Symlink)] = ["/$defs/symlink"],
        [nameof(RecipeKeys.Hardlink)] = ["/$defs/hardlink"],
        [nameof(RecipeKeys.Node)] = ["/$defs/node"],
        [nameof(RecipeKeys.Check)] = ["/$defs/check"],
        [nameof(RecipeKeys.ConfigCheck)] = ["/$defs/configCheck"],
        [nameof(RecipeKeys.User)] = ["/$defs/user"],
    };

    private static IEnumerable<TestCaseData> Mappings() => KeyLists().Select(pair =>
        new TestCaseData(pair.Key, pair.Value).SetName($"Schema_and_parser_know_the_same_keys_in_{pair.Key}"));

    [TestCaseSource(nameof(Mappings))]
    public void Schema_and_parser_know_the_same_keys(string mapping, string[] parserKeys)
    {
        Assert.That(Locations.ContainsKey(mapping), Is.True, $"RecipeKeys.{mapping} has no place in the schema; add it to the schema and to this test");
        var schemaKeys = Locations[mapping].SelectMany(location => PropertyNames(Resolve(location))).ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(parserKeys.Except(schemaKeys), Is.Empty, $"keys the parser accepts in {mapping} but the schema does not name");
            Assert.That(schemaKeys.Except(parserKeys), Is.Empty, $"keys the schema names in {mapping} but the parser rejects");
        });
    }

    [Test]
    public void Every_fixed_key_object_of_the_schema_is_a_mapping_the_parser_reads()
    {
        var withProperties = new List<string>();
        FindObjectsWithProperties(RecipeSchema.Document, "", withProperties);

        Assert.That(withProperties, Is.EquivalentTo(Locations.Values.SelectMany(l => l)));
    }

    [Test]
    public void Fixed_key_objects_refuse_other_keys()
    {
        var open = Locations.Values.SelectMany(l => l)
            .Where(location => Resolve(location)["additionalProperties"]?.GetValue<bool>() != false)
            .ToList();

        Assert.That(open, Is.Empty, "objects with a fixed set of keys need additionalProperties: false");
    }

    [Test]
    public void Every_list_of_RecipeKeys_is_checked_here() =>
        Assert.That(KeyLists().Select(k => k.Key), Is.EquivalentTo(Locations.Keys));

    private static IEnumerable<KeyValuePair<string, string[]>> KeyLists() =>
        typeof(RecipeKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string[]))
            .Select(f => KeyValuePair.Create(f.Name, (string[])f.GetValue(null)!));

    private static JsonObject Resolve(string pointer)
    {
        JsonNode node = RecipeSchema.Document;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return node.AsObject();
    }

    private static IEnumerable<string> PropertyNames(JsonObject schema) =>
        schema["properties"]?.AsObject().Select(p => p.Key) ?? [];

    private static void FindObjectsWithProperties(JsonNode? node, string pointer, List<string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject)
                {
                    found.Add(pointer);
                }

                foreach (var (key, child) in obj.Where(p => p.Key != "properties"))
                {
                    FindObjectsWithProperties(child, $"{pointer}/{key}", found);
                }

                // Property schemas themselves may hold nested objects with properties.
                foreach (var (key, child) in obj["properties"]?.AsObject() ?? [])
                {
                    FindObjectsWithProperties(child, $"{pointer}/properties/{key}", found);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    FindObjectsWithProperties(array[i], $"{pointer}/{i}", found);
                }

                break;
        }
    }
}
