using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Testing;

namespace LayerBuilder.Tests.Registry;

/// <summary>Base images for the registry tests, made with LayerBuilder itself and put into a
/// <see cref="RegistryServer"/> with skopeo: one image by tag, and an index of two platforms.</summary>
public static class RegistryImages
{
    public const string BaseFile = "/etc/base-release";

    /// <summary>A one-layer base (<see cref="BaseFile"/> says its platform; env, label and cmd set) as a
    /// docker archive or an OCI layout tar.</summary>
    public static async Task<string> BuildBaseAsync(string folder, string platform = "linux/amd64", ArchiveFormat format = ArchiveFormat.Docker)
    {
        var recipe = RecipeBuilder.FromScratch("fixtures/registry-base")
            .Platform(platform)
            .Step("base", s => s.File(BaseFile, $"base for {platform}\n"))
            .Config(c => c.Env("BASE_VAR", "from-base").Label("base.label", "yes").Cmd("/bin/true"))
            .Build();
        var path = Path.Combine(folder, $"base-{platform.Replace('/', '-')}-{format}.tar".ToLowerInvariant());
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, path) with { Format = format });
        return path;
    }

    /// <summary>Pushes the one-platform base as <paramref name="repositoryTag"/>; returns its manifest digest.</summary>
    public static async Task<string> PushBaseAsync(RegistryServer registry, string folder, string repositoryTag) =>
        await registry.CopyAsync("docker-archive:" + await BuildBaseAsync(folder), repositoryTag);

    /// <summary>Pushes an OCI index with a linux/amd64 and a linux/arm64/v8 image as <paramref name="repositoryTag"/>
    /// (an OCI layout whose index.json names the index, copied with <c>skopeo copy --all</c>); returns the index digest.</summary>
    public static async Task<string> PushTwoPlatformIndexAsync(RegistryServer registry, string folder, string repositoryTag)
    {
        var layout = Directory.CreateDirectory(Path.Combine(folder, "two-platform-layout")).FullName;
        var manifests = new JsonArray();
        foreach (var platform in new[] { "linux/amd64", "linux/arm64/v8" })
        {
            var archive = await BuildBaseAsync(folder, platform, ArchiveFormat.Oci);
            await TarFile.ExtractToDirectoryAsync(archive, layout, overwriteFiles: true);
            var index = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(layout, "index.json")))!;
            var descriptor = index["manifests"]![0]!.DeepClone().AsObject();
            descriptor.Remove("annotations");
            var parts = platform.Split('/');
            descriptor["platform"] = parts.Length == 3
                ? new JsonObject { ["architecture"] = parts[1], ["os"] = parts[0], ["variant"] = parts[2] }
                : new JsonObject { ["architecture"] = parts[1], ["os"] = parts[0] };
            manifests.Add(descriptor);
        }

        var imageIndex = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = manifests,
        }.ToJsonString());
        var hex = Convert.ToHexStringLower(SHA256.HashData(imageIndex));
        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", hex), imageIndex);
        var top = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["digest"] = "sha256:" + hex,
                ["size"] = imageIndex.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "multi" },
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), top.ToJsonString());
        return await registry.CopyAsync($"oci:{layout}:multi", repositoryTag, all: true);
    }
}
