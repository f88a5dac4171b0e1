using LayerBuilder.Conversion;
using LayerBuilder.Recipe;

namespace LayerBuilder.Fuzz;

/// <summary>
/// <c>convert</c>'s reader, from the Dockerfile's bytes (decoding, continuations, escapes, JSON and shell
/// forms, instructions), and the recipe parser on whatever recipe the conversion writes: a written recipe
/// that the parser cannot read is a crash of the converter, not the user's problem.
/// </summary>
public sealed class DockerfileTarget : IFuzzTarget
{
    public string Name => "dockerfile";

    public void Run(byte[] input, string workspace)
    {
        var path = Path.Combine(workspace, "Dockerfile");
        File.WriteAllBytes(path, input);
        var conversion = DockerfileConverter.Convert(new DockerfileConversionRequest
        {
            Text = DockerfileConverter.ReadFile(path),
            File = path,
            ContextFolder = workspace,
            AllowPartial = true,
        });

        if (conversion.Recipe is { } recipe)
        {
            RecipeParser.Parse(recipe, Path.Combine(workspace, "layerbuild.yml"), workspace);
        }
    }
}
