using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LayerBuilder.Image;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The per-layer v1 ids and json files of the classic layout (archive-format.md §1): deterministic,
/// unique, chained by parent, only the top one carrying the config, and CreateID-style ids.
/// </summary>
public sealed class LegacyV1IdTests
{
    private static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ImageConfig Config(params string[] layerContents) => new(
        Platform.LinuxAmd64,
        Created,
        new ContainerConfig { Env = ["A=1"], Entrypoint = ["/app <x> & y"], WorkingDir = "/app" },
        layerContents.Select(Digest.Of).ToList(),
        layerContents.Select(c => new HistoryEntry(Created, "step " + c, null)).ToList());

    [Test]
    public void Ids_are_the_same_every_time_for_the_same_config()
    {
        var first = LegacyV1.Compute(Config("a", "b", "c"));
        var second = LegacyV1.Compute(Config("a", "b", "c"));

        Assert.That(first.Select(l => l.Id), Is.EqualTo(second.Select(l => l.Id)));
        Assert.That(first.Select(l => l.Json), Is.EqualTo(second.Select(l => l.Json)));
    }

    [Test]
    public void Ids_are_64_hex_digits_and_unique_per_layer_even_for_equal_layers()
    {
        var layers = LegacyV1.Compute(Config("a", "a", "b"));

        Assert.That(layers.Select(l => l.Id), Is.Unique);
        Assert.That(layers.Select(l => l.Id), Has.All.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void A_different_layer_below_changes_every_id_above_it()
    {
        var one = LegacyV1.Compute(Config("a", "b", "c"));
        var other = LegacyV1.Compute(Config("x", "b", "c"));

        Assert.That(one.Zip(other).Where(p => p.First.Id == p.Second.Id), Is.Empty);
    }

    [Test]
    public void Each_json_names_its_own_id_and_its_parent_the_layer_below()
    {
        var layers = LegacyV1.Compute(Config("a", "b", "c"));

        for (var i = 0; i < layers.Count; i++)
        {
            var json = JsonDocument.Parse(layers[i].Json).RootElement;
            Assert.That(json.GetProperty("id").GetString(), Is.EqualTo(layers[i].Id));
            if (i == 0)
            {
                Assert.That(json.TryGetProperty("parent", out _), Is.False, "the bottom layer has no parent");
            }
            else
            {
                Assert.That(json.GetProperty("parent").GetString(), Is.EqualTo(layers[i - 1].Id), $"parent of layer {i}");
            }
        }
    }

    [Test]
    public void Only_the_top_json_carries_the_config_and_lower_ones_are_created_at_the_epoch()
    {
        var layers = LegacyV1.Compute(Config("a", "b", "c"));
        var jsons = layers.Select(l => JsonDocument.Parse(l.Json).RootElement).ToList();

        using (Assert.EnterMultipleScope())
        {
            foreach (var lower in jsons.SkipLast(1))
            {
                Assert.That(lower.TryGetProperty("config", out _), Is.False);
                Assert.That(lower.GetProperty("created").GetString(), Is.EqualTo("1970-01-01T00:00:00Z"));
                Assert.That(lower.GetProperty("container_config").GetProperty("Env").ValueKind, Is.EqualTo(JsonValueKind.Null));
                Assert.That(lower.GetProperty("os").GetString(), Is.EqualTo("linux"));
            }

            var top = jsons[^1];
            Assert.That(top.GetProperty("config").GetProperty("Env")[0].GetString(), Is.EqualTo("A=1"));
            Assert.That(top.GetProperty("config").GetProperty("WorkingDir").GetString(), Is.EqualTo("/app"));
            Assert.That(top.GetProperty("created").GetString(), Is.EqualTo("2024-01-01T00:00:00Z"));
            Assert.That(top.GetProperty("architecture").GetString(), Is.EqualTo("amd64"));
            Assert.That(jsons.Any(j => j.TryGetProperty("rootfs", out _) || j.TryGetProperty("history", out _)), Is.False);
        }
    }

    /// <summary>
    /// Recomputed from the description, not from LegacyV1: the layer's v1 JSON without id and parent,
    /// its values kept byte for byte, plus "layer_id" (the chain id) and "parent" ("sha256:" + parent
    /// id), keys sorted, compact; the id is the hex sha256 of that.
    /// </summary>
    [Test]
    public void Ids_are_CreateID_style_hashes_over_sorted_keys_with_layer_id_and_parent()
    {
        var config = Config("a", "b", "c");
        var layers = LegacyV1.Compute(config);
        var diffIds = config.DiffIds.Select(d => d.ToString()).ToList();

        string? parent = null;
        var chain = "";
        for (var i = 0; i < layers.Count; i++)
        {
            chain = i == 0 ? diffIds[0] : Sha256($"{chain} {diffIds[i]}");
            var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in JsonDocument.Parse(layers[i].Json).RootElement.EnumerateObject())
            {
                if (property.Name is not ("id" or "parent"))
                {
                    fields[property.Name] = property.Value.GetRawText();
                }
            }

            fields["layer_id"] = JsonSerializer.Serialize(chain);
            if (parent is not null)
            {
                fields["parent"] = JsonSerializer.Serialize("sha256:" + parent);
            }

            var hashed = "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Key) + ":" + f.Value)) + "}";
            var expected = Sha256(hashed)["sha256:".Length..];

            Assert.That(layers[i].Id, Is.EqualTo(expected), $"v1 id of layer {i}; hashed {hashed}");
            parent = layers[i].Id;
        }
    }

    /// <summary>
    /// The lower layer's id, independently of LegacyV1's code: its JSON written out here by hand (Docker's
    /// V1Image of a layer below the top: epoch, the zero container config in Go's field order, the OS, and
    /// CreateID's "layer_id", top-level keys sorted, compact) and hashed by Python's hashlib.
    /// </summary>
    [Test]
    public async Task The_lower_layer_id_is_the_sha256_of_its_json_written_out_by_hand()
    {
        const string DiffIdOfA = "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"; // sha256("a")
        const string ZeroContainerConfig = """{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null}""";
        var hashed = $$"""{"container_config":{{ZeroContainerConfig}},"created":"1970-01-01T00:00:00Z","layer_id":"{{DiffIdOfA}}","os":"linux"}""";

        var python = await LayerBuilder.Testing.ProcessRunner.RunCheckedAsync("python3", ["-c", "import hashlib, sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", hashed]);

        Assert.That(LegacyV1.Compute(Config("a", "b"))[0].Id, Is.EqualTo(python.StandardOutput.Trim()), hashed);
    }

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
