using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LayerBuilder.Tests.Reading;

/// <summary>An OCI layout folder written here from tar entries the test gives, layer by layer, with the
/// .NET tar writer: for layers no recipe makes (opaque markers, a file over a folder).</summary>
internal static class HandLayout
{
    public static void Write(string folder, params IReadOnlyList<TarEntry>[] layers)
    {
        var blobs = Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256")).FullName;
        var layerDescriptors = new JsonArray();
        var diffIds = new JsonArray();
        foreach (var entries in layers)
        {
            using var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, leaveOpen: true))
            {
                foreach (var entry in entries)
                {
                    writer.WriteEntry(entry);
                }
            }

            var digest = Blob(blobs, tar.ToArray());
            diffIds.Add(digest);
            layerDescriptors.Add(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = digest, ["size"] = tar.Length });
        }

        var config = Bytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        });
        var manifest = Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = Blob(blobs, config), ["size"] = config.Length },
            ["layers"] = layerDescriptors,
        });
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = Blob(blobs, manifest),
                ["size"] = manifest.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "1.0" },
            }),
        };
        System.IO.File.WriteAllBytes(Path.Combine(folder, "index.json"), Bytes(index));
        System.IO.File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    private static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string Blob(string blobs, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        System.IO.File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
        return "sha256:" + hex;
    }
}
