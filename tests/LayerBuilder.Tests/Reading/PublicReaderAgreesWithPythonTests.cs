using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsCheck;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Reading;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;
using ImageArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// The public reader and Python's tarfile (Support/independent_reader.py, which shares no code with
/// LayerBuilder) see the same entries, in the same order, with the same metadata and content: on
/// generated trees (names of every alphabet and width, every mode bit, large ids, symlinks, hard links)
/// and on the reader fixture (devices, whiteouts, a rootfs base) in both formats. Since the round-trip
/// tests read layers through the public reader (Support/ImageArchive), this is what keeps them honest.
/// </summary>
public sealed class PublicReaderAgreesWithPythonTests
{

    /// <summary>Each case is one build and one Python process.</summary>
    private const int Cases = 15;

    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._- "], 1, 12],
        Gen.String[Gen.Char["aüé€中_-"], 1, 8],
        Gen.String[Gen.Char["abcdefghij"], 90, 160])
        .Where(s => s is not "." and not ".." && !s.StartsWith(".wh.", StringComparison.Ordinal) && s.Trim().Length == s.Length);

    private static readonly Gen<(int Kind, string Name, int Mode, long Uid, byte[] Content)> Entry =
        Gen.Select(Gen.Int[0, 3], Segment, Gen.Int[0, 4_095], Gen.Long[0, 2_147_483_646], Gen.Byte.Array[0, 2_000]);

    [Test]
    public void AgreeOnGeneratedTrees() =>
        Entry.Array[1, 30].Sample(entries =>
        {
            using var temp = new TempDirectory();
            var recipe = Recipe(entries);
            var output = temp.Combine("generated.tar");
            var parsed = RecipeParser.Parse(recipe, temp.Combine("layerbuild.yml"), temp.Path);
            ImageBuilder.BuildAsync(new BuildRequest(parsed, output)).GetAwaiter().GetResult();
            AssertAgree(output);
        }, iter: Cases, threads: 1);

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task AgreeOnTheReaderFixture(ArchiveFormat format)
    {
        using var fixture = ReaderFixture.Create();
        var (_, path) = await fixture.BuildAsync("fixture.tar", format);
        AssertAgree(path);
    }

    private static void AssertAgree(string archive)
    {
        var python = RunPython(archive);
        var ours = Ours(archive).GetAwaiter().GetResult();
        Assert.That(python, Is.Not.Empty);
        Assert.That(ours, Is.EqualTo(python), archive);
    }

    /// <summary>Every entry of every layer as one JSON line in the Python reader's form.</summary>
    private static async Task<List<string>> Ours(string path)
    {
        var lines = new List<string>();
        var archive = await ImageArchive.OpenAsync(path);
        foreach (var layer in archive.Images[0].Layers)
        {
            await using var reader = await layer.OpenEntryReaderAsync();
            while (await reader.NextAsync() is { } entry)
            {
                using var sha = SHA256.Create();
                await using (var content = reader.OpenContent())
                {
                    await sha.ComputeHashAsync(content);
                }

                var line = new SortedDictionary<string, object>(StringComparer.Ordinal)
                {
                    ["name"] = entry.Path,
                    ["kind"] = Kind(entry.Kind),
                    ["mode"] = (int)entry.Mode,
                    ["uid"] = entry.Uid,
                    ["gid"] = entry.Gid,
                    ["mtime"] = entry.ModificationTime.ToUnixTimeSeconds(),
                    ["size"] = entry.Size,
                    ["sha256"] = Convert.ToHexStringLower(sha.Hash!),
                    ["link"] = entry.LinkTarget ?? "",
                    ["uname"] = entry.UserName,
                    ["gname"] = entry.GroupName,
                };
                lines.Add(JsonSerializer.Serialize(line));
            }
        }

        return lines;
    }

    /// <summary>Python's names for the kinds: whiteouts are regular files to tar, devices its type byte.</summary>
    private static string Kind(LayerEntryKind kind) => kind switch
    {
        LayerEntryKind.Directory => "dir",
        LayerEntryKind.Symlink => "symlink",
        LayerEntryKind.HardLink => "hardlink",
        LayerEntryKind.CharacterDevice => "b'3'",
        LayerEntryKind.BlockDevice => "b'4'",
        LayerEntryKind.Fifo => "b'6'",
        _ => "file",
    };

    private static List<string> RunPython(string archive) =>
        // Re-serialized so both sides use the same JSON spelling (escapes, spacing) for the same values.
        IndependentReader.Entries(archive)
            .Select(e => JsonSerializer.Serialize(new SortedDictionary<string, object>(
                e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? (object)p.Value.GetInt64() : p.Value.GetString()!),
                StringComparer.Ordinal)))
            .ToList();

    /// <summary>A one-step recipe of the generated entries (a hard link to the first file, if there is one).</summary>
    private static string Recipe((int Kind, string Name, int Mode, long Uid, byte[] Content)[] entries)
    {
        var yaml = new StringBuilder("image: generated/agree\ncreated: \"2030-01-02T03:04:05Z\"\nsteps:\n  - name: generated\n");
        var files = new StringBuilder();
        var dirs = new StringBuilder();
        var links = new StringBuilder();
        var used = new HashSet<string>(StringComparer.Ordinal);
        string? firstFile = null;
        var folder = "";
        foreach (var (kind, name, mode, uid, content) in entries)
        {
            var path = folder + "/" + name;
            if (!used.Add(path) || Encoding.UTF8.GetByteCount(path) > 4_000)
            {
                continue;
            }

            var octal = Convert.ToString(mode, 8).PadLeft(4, '0');
            switch (kind)
            {
                case 0:
                    files.Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, base64: \"{Convert.ToBase64String(content)}\", mode: \"{octal}\", owner: \"{uid}:{uid / 2}\" }}\n");
                    firstFile ??= path;
                    break;
                case 1:
                    dirs.Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, mode: \"{octal}\", owner: \"{uid}:0\" }}\n");
                    folder = path; // the next entries go inside it
                    break;
                default:
                    links.Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, target: {Quote(name + "/x")} }}\n");
                    break;
            }
        }

        files.Append("      - { path: /always, content: \"x\" }\n");
        firstFile ??= "/always";
        yaml.Append("    files:\n").Append(files);
        if (dirs.Length > 0)
        {
            yaml.Append("    dirs:\n").Append(dirs);
        }

        yaml.Append("    symlinks:\n").Append(links).Append(CultureInfo.InvariantCulture, $"      - {{ path: /always-link, target: {Quote(firstFile)} }}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"    hardlinks:\n      - {{ path: /always-hard, target: {Quote(firstFile)} }}\n");
        return yaml.ToString();
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
