using LayerBuilder.Diagnostics;

namespace LayerBuilder.Fuzz;

/// <summary>Every fuzz target, and the one rule that tells a pass from a crash.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
        [new RecipeTarget(), new DockerfileTarget(), BuildTarget.Extract, BuildTarget.Rootfs, BuildTarget.BaseArchive];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Runs one input in a fresh folder; the product's diagnostics are a pass, anything else escapes.</summary>
    public static void RunOne(IFuzzTarget target, byte[] input, string scratch)
    {
        var workspace = Path.Combine(scratch, "w");
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }

        Directory.CreateDirectory(workspace);
        try
        {
            target.Run(input, workspace);
        }
        catch (LayerBuildException)
        {
            // The product said what is wrong with the input: the expected outcome for bad bytes.
        }
    }
}
