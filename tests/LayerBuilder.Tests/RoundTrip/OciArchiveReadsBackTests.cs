using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// The OCI layout (plus manifest.json), read back with SharpZipLib and System.Text.Json: index.json
/// leads to the manifest blob, which leads to config and layer blobs with exact sizes and digests.
/// </summary>
[TestFixture(SampleImage.Hello)]
[TestFixture(SampleImage.Rich)]
public sealed class OciArchiveReadsBackTests(string sampleName)
{
    private SampleImage sample = null!;

    private ImageArchive Archive => sample.Archive;

    [OneTimeSetUp]
    public async Task Build() => sample = await SampleImage.BuildAsync(sampleName, ArchiveFormat.Oci);

    [OneTimeTearDown]
    public void CleanUp() => sample.Dispose();

    [Test]
    public void Oci_layout_declares_version_1_0_0() =>
        Assert.That(Archive.Json("oci-layout").GetProperty("imageLayoutVersion").GetString(), Is.EqualTo("1.0.0"));

    [Test]
    public void Index_has_one_annotated_manifest_descriptor_per_tag()
    {
        var index = Archive.Json("index.json");
        var manifests = index.GetProperty("manifests").EnumerateArray().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(index.GetProperty("schemaVersion").GetInt32(), Is.EqualTo(2));
            Assert.That(index.GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.index.v1+json"));
            Assert.That(manifests, Has.Count.EqualTo(sample.Tags.Count));
            for (var i = 0; i < manifests.Count; i++)
            {
                var annotations = manifests[i].GetProperty("annotations");
                Assert.That(manifests[i].GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
                Assert.That(annotations.GetProperty("io.containerd.image.name").GetString(), Is.EqualTo($"{sample.FullName}:{sample.Tags[i]}"));
                Assert.That(annotations.GetProperty("org.opencontainers.image.ref.name").GetString(), Is.EqualTo(sample.Tags[i]));
                Assert.That(manifests[i].GetProperty("digest").GetString(), Is.EqualTo(sample.Result.ManifestDigest.ToString()));
            }
        }
    }

    [Test]
    public void Index_descriptors_name_the_manifest_blob_by_exact_size_and_digest()
    {
        foreach (var descriptor in Archive.Json("index.json").GetProperty("manifests").EnumerateArray())
        {
            AssertDescribes(descriptor, "application/vnd.oci.image.manifest.v1+json");
        }
    }

    [Test]
    public void Manifest_names_config_and_layer_blobs_by_exact_size_and_digest()
    {
        var manifest = ManifestBlob();
        var config = manifest.GetProperty("config");
        var layers = manifest.GetProperty("layers").EnumerateArray().ToList();

        Assert.That(manifest.GetProperty("schemaVersion").GetInt32(), Is.EqualTo(2));
        Assert.That(manifest.GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
        AssertDescribes(config, "application/vnd.oci.image.config.v1+json");
        Assert.That(config.GetProperty("digest").GetString(), Is.EqualTo(sample.Result.ImageId.ToString()), "the config digest is the image id");
        foreach (var layer in layers)
        {
            AssertDescribes(layer, "application/vnd.oci.image.layer.v1.tar");
        }
    }

    [Test]
    public void Manifest_layers_are_the_config_diff_ids_in_the_same_order()
    {
        var manifest = ManifestBlob();
        var config = JsonDocument.Parse(Archive.Bytes(BlobPath(manifest.GetProperty("config").GetProperty("digest").GetString()!))).RootElement;
        var diffIds = config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToList();
        var history = config.GetProperty("history").EnumerateArray().Count(h => !(h.TryGetProperty("empty_layer", out var e) && e.GetBoolean()));

        Assert.That(manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()), Is.EqualTo(diffIds));
        Assert.That(history, Is.EqualTo(diffIds.Count));
        Assert.That(sample.Result.Layers.Select(l => l.DiffId.ToString()), Is.EqualTo(diffIds));
    }

    [Test]
    public void Manifest_json_points_at_the_same_blobs_in_the_same_order()
    {
        var manifest = ManifestBlob();
        var docker = Archive.Manifest;

        Assert.That(docker.GetProperty("Config").GetString(), Is.EqualTo(BlobPath(manifest.GetProperty("config").GetProperty("digest").GetString()!)));
        Assert.That(Archive.LayerPaths, Is.EqualTo(manifest.GetProperty("layers").EnumerateArray().Select(l => BlobPath(l.GetProperty("digest").GetString()!))));
        Assert.That(docker.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(sample.Tags.Select(t => $"{sample.FamiliarName}:{t}")));
    }

    [Test]
    public void Every_blob_is_named_by_the_sha256_of_its_content()
    {
        var blobs = Archive.Members.Where(m => m.Name.StartsWith("blobs/", StringComparison.Ordinal)).ToList();

        Assert.That(blobs, Is.Not.Empty);
        foreach (var blob in blobs)
        {
            Assert.That(blob.Name, Does.Match("^blobs/sha256/[0-9a-f]{64}$"));
            Assert.That(ImageArchive.Sha256(blob.Content), Is.EqualTo("sha256:" + blob.Name["blobs/sha256/".Length..]), blob.Name);
        }
    }

    [Test]
    public void Every_blob_is_referenced_and_every_reference_is_present()
    {
        var manifest = ManifestBlob();
        var referenced = new HashSet<string>(StringComparer.Ordinal)
        {
            BlobPath(sample.Result.ManifestDigest.ToString()),
            BlobPath(manifest.GetProperty("config").GetProperty("digest").GetString()!),
        };
        referenced.UnionWith(manifest.GetProperty("layers").EnumerateArray().Select(l => BlobPath(l.GetProperty("digest").GetString()!)));

        Assert.That(Archive.Members.Select(m => m.Name).Where(n => n.StartsWith("blobs/", StringComparison.Ordinal)), Is.EquivalentTo(referenced));
    }

    [Test]
    public void Manifest_and_index_carry_the_recipe_annotations()
    {
        var title = sampleName == SampleImage.Hello ? "hello" : "rich";

        Assert.That(ManifestBlob().GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString(), Is.EqualTo(title));
        Assert.That(Archive.Json("index.json").GetProperty("manifests")[0].GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString(), Is.EqualTo(title));
    }

    private JsonElement ManifestBlob()
    {
        var digest = Archive.Json("index.json").GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        return JsonDocument.Parse(Archive.Bytes(BlobPath(digest))).RootElement;
    }

    private void AssertDescribes(JsonElement descriptor, string mediaType)
    {
        var digest = descriptor.GetProperty("digest").GetString()!;
        var blob = Archive.Bytes(BlobPath(digest));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(descriptor.GetProperty("mediaType").GetString(), Is.EqualTo(mediaType));
            Assert.That(descriptor.GetProperty("size").GetInt64(), Is.EqualTo(blob.LongLength), digest);
            Assert.That(ImageArchive.Sha256(blob), Is.EqualTo(digest));
        }
    }

    private static string BlobPath(string digest) => "blobs/sha256/" + digest["sha256:".Length..];
}
