using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A base image written by hand, JSON text and all, not by LayerBuilder: a <c>docker save</c> folder
/// (manifest.json, config, one empty layer) or an OCI layout (index.json, manifest and config blobs). A
/// case changes the JSON before it is written; digests that name a changed blob are computed afterwards,
/// so only the change itself is wrong. <see cref="ToTar"/> packs a folder with Python's tarfile, a writer
/// independent of the one the product reads with.
/// </summary>
internal static class HandWrittenBaseImage
{
    /// <summary>An empty layer: two zero blocks end a tar with no entries.</summary>
    public static readonly byte[] EmptyLayer = new byte[1024];

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static JsonObject Config() => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject
        {
            ["Env"] = new JsonArray("PATH=/usr/bin"),
            ["Cmd"] = new JsonArray("/bin/sh"),
            ["Labels"] = new JsonObject { ["org.example"] = "yes" },
            ["Healthcheck"] = new JsonObject { ["Test"] = new JsonArray("NONE"), ["Retries"] = 3 },
        },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(Sha256(EmptyLayer)) },
        ["history"] = new JsonArray(new JsonObject { ["created_by"] = "hand" }),
    };

    public static JsonArray DockerManifest() =>
    [
        new JsonObject { ["Config"] = "config.json", ["RepoTags"] = new JsonArray("hand/base:1.0"), ["Layers"] = new JsonArray("layer.tar") },
    ];

    /// <summary>Writes a docker-save folder; <paramref name="manifest"/> or <paramref name="config"/> as
    /// raw text stand in for the JSON when a case needs text no JSON writer makes.</summary>
    public static string WriteDockerSave(string folder, Action<JsonArray, JsonObject>? change = null, string? manifest = null, string? config = null)
    {
        var manifestJson = DockerManifest();
        var configJson = Config();
        change?.Invoke(manifestJson, configJson);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest ?? manifestJson.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "config.json"), config ?? configJson.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, "layer.tar"), EmptyLayer);
        return folder;
    }

    /// <summary>Writes an OCI layout; <paramref name="change"/> sees index, manifest and config before
    /// their digests are taken (a change to the index's descriptor digest stays as the case made it).</summary>
    public static string WriteLayout(string folder, Action<JsonObject, JsonObject, JsonObject>? change = null, string? index = null)
    {
        var layerDigest = Sha256(EmptyLayer);
        var config = Config();
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = "", ["size"] = 0 },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = layerDigest, ["size"] = EmptyLayer.Length }),
        };
        var indexJson = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = "",
                ["size"] = 0,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "hand/base:1.0" },
            }),
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        manifest["config"]!["digest"] = Sha256(configBytes);
        indexJson["manifests"]![0]!["digest"] = "pending";
        change?.Invoke(indexJson, manifest, config);

        // Digests of what the case left, unless it set them itself.
        configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        if (manifest["config"] is JsonObject configDescriptor && configDescriptor["digest"]?.ToString() == Sha256(Encoding.UTF8.GetBytes(Config().ToJsonString())))
        {
            configDescriptor["digest"] = Sha256(configBytes);
        }

        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        if (indexJson["manifests"] is JsonArray { Count: > 0 } list && list[0] is JsonObject first && first["digest"]?.ToString() == "pending")
        {
            first["digest"] = Sha256(manifestBytes);
        }

        var blobs = Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256")).FullName;
        File.WriteAllText(Path.Combine(folder, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(folder, "index.json"), index ?? indexJson.ToJsonString());
        foreach (var blob in new[] { configBytes, manifestBytes, EmptyLayer })
        {
            File.WriteAllBytes(Path.Combine(blobs, Sha256(blob)[7..]), blob);
        }

        return folder;
    }

    /// <summary>Packs every file under <paramref name="folder"/> into a plain ustar <paramref name="tar"/>, names relative.</summary>
    public static string ToTar(string folder, string tar)
    {
        const string Script = """
            import os, sys, tarfile
            root, out = sys.argv[1], sys.argv[2]
            with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as t:
                for d, _, names in sorted(os.walk(root)):
                    for n in sorted(names):
                        full = os.path.join(d, n)
                        t.add(full, arcname=os.path.relpath(full, root))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, folder, tar })
        {
            start.ArgumentList.Add(argument);
        }

        using var python = Process.Start(start)!;
        var errors = python.StandardError.ReadToEnd();
        Assert.That(python.WaitForExit(TimeSpan.FromMinutes(1)), Is.True, "python3 tarfile did not finish");
        Assert.That(python.ExitCode, Is.Zero, errors);
        return tar;
    }
}
