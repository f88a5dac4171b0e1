using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Build;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// Inputs the bad-input table shares, made once: base image archives built by LayerBuilder itself, an
/// archive holding two images, one with a corrupted layer, and tars that must not be extracted.
/// </summary>
public static class BadInputFixtures
{
    /// <summary>Text in the base image's layer; flipping one of its bytes corrupts the layer.</summary>
    private const string Marker = "base-layer-content";

    public static async Task<string> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("layerbuild-diagnostics-fixtures-").FullName;
        var baseTar = Path.Combine(folder, "base.tar");
        await BuildAsync(folder, baseTar, $$"""
            image: fixtures/base
            tags: ["1.0"]
            created: "2024-01-01T00:00:00Z"
            steps:
              - name: users
                files:
                  - { path: /etc/passwd, content: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n" }
                  - { path: /etc/group, content: "root:x:0:\napp:x:1000:\n" }
                  - { path: /srv/base.txt, content: "{{Marker}}\n" }
            """);
        var otherTar = Path.Combine(folder, "other.tar");
        await BuildAsync(folder, otherTar, """
            image: fixtures/other
            tags: ["2.0"]
            created: "2024-01-01T00:00:00Z"
            steps:
              - files:
                  - { path: /other.txt, content: "other\n" }
            """);

        WriteTar(Path.Combine(folder, "two-images.tar"), MergeImages(ReadTar(baseTar), ReadTar(otherTar)));
        WriteTar(Path.Combine(folder, "corrupt.tar"), CorruptLayer(ReadTar(baseTar)));
        WriteTar(Path.Combine(folder, "escape.tar"),
        [
            ("ok.txt", Encoding.UTF8.GetBytes("fine\n")),
            ("../evil.txt", Encoding.UTF8.GetBytes("outside\n")),
        ]);
        await File.WriteAllTextAsync(Path.Combine(folder, "not-a-tar.tar.gz"), "this is text, not a compressed tar\n");
        return folder;
    }

    private static async Task BuildAsync(string folder, string output, string yaml)
    {
        var recipe = RecipeParser.Parse(yaml, "fixture.yml", folder);
        await ImageBuilder.BuildAsync(new BuildRequest(recipe, output));
    }

    private static List<(string Name, byte[] Data)> ReadTar(string path)
    {
        using var reader = new TarReader(File.OpenRead(path));
        var members = new List<(string, byte[])>();
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            members.Add((entry.Name, data.ToArray()));
        }

        return members;
    }

    private static void WriteTar(string path, IEnumerable<(string Name, byte[] Data)> members)
    {
        using var writer = new TarWriter(File.Create(path), TarEntryFormat.Ustar);
        foreach (var (name, data) in members)
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        }
    }

    /// <summary>A docker-save archive holding both images: members of both, one manifest.json listing both.</summary>
    private static List<(string, byte[])> MergeImages(List<(string Name, byte[] Data)> first, List<(string Name, byte[] Data)> second)
    {
        var manifest = new JsonArray();
        foreach (var archive in new[] { first, second })
        {
            foreach (var item in JsonNode.Parse(archive.Single(m => m.Name == "manifest.json").Data)!.AsArray())
            {
                manifest.Add(item!.DeepClone());
            }
        }

        var merged = first.Concat(second)
            .Where(m => m.Name is not ("manifest.json" or "repositories" or "index.json" or "oci-layout"))
            .DistinctBy(m => m.Name)
            .ToList();
        merged.Add(("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString())));
        return merged;
    }

    /// <summary>Flips one byte of file content inside the layer, leaving manifest and config as they were.</summary>
    private static List<(string, byte[])> CorruptLayer(List<(string Name, byte[] Data)> archive)
    {
        var marker = Encoding.UTF8.GetBytes(Marker);
        return archive.Select(m =>
        {
            var at = m.Data.AsSpan().IndexOf(marker);
            if (at < 0 || !m.Name.EndsWith(".tar", StringComparison.Ordinal))
            {
                return (m.Name, m.Data);
            }

            var data = (byte[])m.Data.Clone();
            data[at] ^= 0x20;
            return (m.Name, data);
        }).ToList();
    }
}
