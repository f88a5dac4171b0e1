using System.Text.Json.Nodes;
using Json.Schema;

namespace LayerBuilder.Tests.Schema;

/// <summary>The repository's schema, loaded once, with a validation that says where and why it failed.</summary>
internal static class RecipeSchema
{
    private static readonly Lazy<JsonSchema> Loaded = new(() => JsonSchema.FromText(File.ReadAllText(RepositoryFiles.SchemaPath)));

    public static JsonSchema Schema => Loaded.Value;

    public static JsonObject Document => (JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryFiles.SchemaPath))!;

    /// <summary>Validates a recipe (as YAML text); returns the errors, empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string yaml) => Errors(YamlToJson.Convert(yaml));

    public static IReadOnlyList<string> Errors(JsonNode? instance)
    {
        var result = Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : result.Details
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                .ToList();
    }
}
