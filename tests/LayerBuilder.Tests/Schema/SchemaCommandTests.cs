using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using LayerBuilder.Tests.Golden;
using LayerBuilder.Tests.Support;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Schema;

/// <summary><c>dotnet layerbuild schema</c> prints the repository's schema, and the schema itself is sound.</summary>
public sealed class SchemaCommandTests
{
    [Test]
    public async Task Schema_subcommand_prints_the_repository_file_byte_for_byte()
    {
        var (exitCode, stdout, stderr) = await RunAsync("schema");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), stderr);
            Assert.That(stderr, Is.Empty);
            Assert.That(stdout, Is.EqualTo(File.ReadAllText(RepositoryFiles.SchemaPath)));
        });
    }

    [Test]
    public async Task Schema_subcommand_takes_no_arguments()
    {
        var (exitCode, _, stderr) = await RunAsync("schema", "extra");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("extra"));
    }

    [Test]
    public async Task A_recipe_argument_still_builds_without_naming_a_command()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "hello.tar");

        // --no-cache: in this process the cache would be the user's own.
        var (exitCode, stdout, stderr) = await RunAsync(RepositoryFiles.Combine("examples", "hello", "layerbuild.yml"), "-o", output, "--quiet", "--no-cache");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(stdout, Is.Empty);
        await GoldenImages.AssertArchiveAsync(output, GoldenImages.All.Single(g => g is { Fixture: "hello", Format: "docker" }));
    }

    [Test]
    public void Schema_is_valid_draft_2020_12()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.SchemaPath));

        var result = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Values)));
        Assert.That(document.RootElement.GetProperty("$schema").GetString(), Is.EqualTo("https://json-schema.org/draft/2020-12/schema"));
    }

    [Test]
    public void Schema_names_the_product_only()
    {
        var schema = RecipeSchema.Document;

        Assert.That(schema["$id"]!.GetValue<string>(), Is.EqualTo("urn:layerbuilder:recipe"));
        Assert.That(schema["title"]!.GetValue<string>(), Does.Contain("LayerBuilder"));
    }

    [Test]
    public void Every_property_has_a_description()
    {
        var missing = new List<string>();
        Walk(RecipeSchema.Document, "", missing);

        Assert.That(missing, Is.Empty, "properties without a description");
    }

    private static void Walk(JsonNode? node, string pointer, List<string> missing)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties)
                {
                    missing.AddRange(properties
                        .Where(p => p.Value is JsonObject property && !HasDescription(property))
                        .Select(p => $"{pointer}/properties/{p.Key}"));
                }

                foreach (var (key, child) in obj)
                {
                    Walk(child, $"{pointer}/{key}", missing);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{pointer}/{i}", missing);
                }

                break;
        }
    }

    // A property that only points at a definition inherits that definition's description.
    private static bool HasDescription(JsonObject property) =>
        property.ContainsKey("description") ||
        (property["$ref"]?.GetValue<string>() is { } reference &&
         RecipeSchema.Document["$defs"]![reference["#/$defs/".Length..]]!.AsObject().ContainsKey("description"));

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(arguments);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
