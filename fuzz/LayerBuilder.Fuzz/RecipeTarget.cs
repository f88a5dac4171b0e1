using LayerBuilder.Recipe;

namespace LayerBuilder.Fuzz;

/// <summary>The recipe reader, from the file's bytes (UTF-8 decoding, YAML, model, diagnostics).</summary>
public sealed class RecipeTarget : IFuzzTarget
{
    public string Name => "recipe";

    public void Run(byte[] input, string workspace)
    {
        var path = Path.Combine(workspace, "layerbuild.yml");
        File.WriteAllBytes(path, input);
        RecipeParser.ParseFile(path);
    }
}
