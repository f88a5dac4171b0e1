using LayerBuilder.Build;
using LayerBuilder.Recipe;

namespace LayerBuilder.Fuzz;

/// <summary>
/// A whole build whose one untrusted input is the fuzzed file, named by a fixed recipe: the build reads it
/// the way a user's build would (decompression detected from the bytes, tar walk, JSON, lower-layer
/// index) and streams the archive to nowhere.
/// </summary>
public sealed class BuildTarget(string name, string recipe) : IFuzzTarget
{
    /// <summary>The fuzzed file, as the recipes below name it.</summary>
    public const string InputName = "input.bin";

    private const string Head = "image: fuzz/target\ncreated: \"2024-01-01T00:00:00Z\"\n";

    /// <summary>An <c>extract</c> tarball: plain, gzip, bzip2 or zstd tar.</summary>
    public static BuildTarget Extract { get; } = new("extract", Head +
        "steps:\n  - extract: [{ src: input.bin, dest: /opt/x }]\n");

    /// <summary>A base root filesystem tar, with a step above it so the lower-layer index is used.</summary>
    public static BuildTarget Rootfs { get; } = new("rootfs", Head +
        "base: { rootfs: input.bin }\nsteps:\n  - files: [{ path: /etc/fuzz, content: x }]\n    remove: [/etc]\n");

    /// <summary>A base image archive (docker save or OCI archive: manifest.json, index.json, configs, layers).</summary>
    public static BuildTarget BaseArchive { get; } = new("base-archive", Head +
        "base: { image: input.bin }\nconfig: { user: root }\nsteps:\n  - files: [{ path: /etc/fuzz, content: x }]\n");

    public string Name => name;

    public void Run(byte[] input, string workspace)
    {
        File.WriteAllBytes(Path.Combine(workspace, InputName), input);
        var parsed = RecipeParser.Parse(recipe, Path.Combine(workspace, "layerbuild.yml"), workspace);
        var request = BuildRequest.ToStream(parsed, Stream.Null) with { WorkDirectory = workspace };
        ImageBuilder.BuildAsync(request).GetAwaiter().GetResult();
    }
}
