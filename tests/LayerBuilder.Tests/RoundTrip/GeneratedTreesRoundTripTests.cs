using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsCheck;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// Property: any generated tree of entries (names of every width and alphabet, long paths, modes with
/// setuid/setgid/sticky bits, owners up to 2^31, symlinks, hard links, binary and text content, times
/// before 1970 and after 2242) that LayerBuilder writes into a layer reads back, through Python's
/// tarfile (an independent reader), as exactly that tree; and the archive's bytes are the same when
/// built twice.
/// </summary>
public sealed class GeneratedTreesRoundTripTests
{

    /// <summary>Enough cases to meet every entry kind, long names and large ids many times; each is one build and one reader process.</summary>
    private const int Cases = 60;

    private enum Kind
    {
        File,
        Dir,
        Symlink,
        Hardlink,
    }

    private sealed record Spec(Kind Kind, int Parent, string Name, int Mode, long Uid, long Gid, byte[] Content, string LinkText);

    /// <summary>One entry as a reader sees it. A hard link is compared as the file it shares content with:
    /// which name of a hard-linked group carries the content is the writer's choice (the first in layer
    /// order, docs/archive-formats.md), so the group is named by its smallest name instead.</summary>
    private sealed record Expected(string Name, string Kind, int Mode, long Uid, long Gid, string Sha256, long Size, string Link, string Group);

    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._- "], 1, 12],
        Gen.String[Gen.Char["aüé€中_-"], 1, 8],
        Gen.String[Gen.Char["abcdefghij"], 90, 160]) // longer than a tar name field: PAX path records
        .Where(s => s is not "." and not ".." && !s.StartsWith(".wh.", StringComparison.Ordinal) && s.Trim().Length == s.Length);

    private static readonly Gen<long> Id = Gen.OneOf(Gen.Long[0, 65_535], Gen.Long[2_097_151, 2_097_153], Gen.Long[2_000_000_000, 2_147_483_646]);

    private static readonly Gen<Spec> Entry = Gen.Select(
        Gen.Enum<Kind>(), Gen.Int[0, 1_000], Segment, Gen.Int[0, 4_095], Id, Id,
        Gen.Byte.Array[0, 3_000], Gen.String[Gen.Char["abc/._-ü"], 1, 200],
        (kind, parent, name, mode, uid, gid, content, link) => new Spec(kind, parent, name, mode, uid, gid, content, link));

    /// <summary>Image times from 1901 to 9999: both ends overflow the classic 11-digit octal field.</summary>
    private static readonly Gen<long> Created = Gen.OneOf(Gen.Long[-2_000_000_000, 0], Gen.Long[0, 4_000_000_000], Gen.Long[8_589_934_592, 253_402_300_799]);

    [Test]
    public void Any_generated_tree_reads_back_as_written_and_builds_to_the_same_bytes_twice() =>
        Gen.Select(Entry.Array[1, 40], Created).Sample((specs, created) => Check(specs, created), iter: Cases, threads: 1);

    private static void Check(Spec[] specs, long created)
    {
        var (recipe, expected) = Plan(specs, created);
        using var folder = new TempDirectory();
        var first = Path.Combine(folder.Path, "first.tar");
        var second = Path.Combine(folder.Path, "second.tar");
        Build(recipe, folder.Path, first);
        Build(recipe, folder.Path, second);

        Assert.That(File.ReadAllBytes(second), Is.EqualTo(File.ReadAllBytes(first)), "the same recipe built twice\n" + recipe);
        var read = ReadBack(first);
        Assert.That(read, Is.EqualTo(expected), "entries as Python's tarfile reads them\n" + recipe);
        Assert.That(ReadTimes(first), Has.All.EqualTo(created), "every entry's mtime is the image's created time");
    }

    /// <summary>Turns the generated specs into a one-step recipe and the entries an independent reader must find.</summary>
    private static (string Recipe, List<Expected> Entries) Plan(Spec[] specs, long created)
    {
        var dirs = new List<string> { "" };
        var files = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var expected = new List<Expected>();
        var yaml = new StringBuilder();
        var time = DateTimeOffset.FromUnixTimeSeconds(created).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        yaml.Append(CultureInfo.InvariantCulture, $"image: generated/tree\ncreated: \"{time}\"\nsteps:\n  - name: generated\n");
        var lists = new Dictionary<Kind, StringBuilder> { [Kind.File] = new(), [Kind.Dir] = new(), [Kind.Symlink] = new(), [Kind.Hardlink] = new() };
        foreach (var spec in specs)
        {
            var path = dirs[spec.Parent % dirs.Count] + "/" + spec.Name;
            if (Encoding.UTF8.GetByteCount(path) > 4_000 || !used.Add(path) || (spec.Kind == Kind.Hardlink && files.Count == 0))
            {
                continue;
            }

            var owner = $"{spec.Uid}:{spec.Gid}";
            var name = path[1..];
            switch (spec.Kind)
            {
                case Kind.File:
                    files.Add(path);
                    lists[Kind.File].Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, base64: \"{Convert.ToBase64String(spec.Content)}\", mode: \"{Octal(spec.Mode)}\", owner: \"{owner}\" }}\n");
                    expected.Add(new Expected(name, "file", spec.Mode, spec.Uid, spec.Gid, Sha256(spec.Content), spec.Content.Length, "", name));
                    break;
                case Kind.Dir:
                    dirs.Add(path);
                    lists[Kind.Dir].Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, mode: \"{Octal(spec.Mode)}\", owner: \"{owner}\" }}\n");
                    expected.Add(new Expected(name, "dir", spec.Mode, spec.Uid, spec.Gid, Sha256([]), 0, "", name));
                    break;
                case Kind.Symlink:
                    lists[Kind.Symlink].Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, target: {Quote(spec.LinkText)}, owner: \"{owner}\" }}\n");
                    expected.Add(new Expected(name, "symlink", 0b111_111_111, spec.Uid, spec.Gid, Sha256([]), 0, spec.LinkText, name));
                    break;
                case Kind.Hardlink:
                    var target = files[spec.Parent % files.Count];
                    lists[Kind.Hardlink].Append(CultureInfo.InvariantCulture, $"      - {{ path: {Quote(path)}, target: {Quote(target)} }}\n");
                    var of = expected.Single(e => e.Name == target[1..]);
                    var group = string.CompareOrdinal(name, of.Group) < 0 ? name : of.Group;
                    expected.Add(of with { Name = name });
                    for (var i = 0; i < expected.Count; i++)
                    {
                        if (expected[i].Group == of.Group)
                        {
                            expected[i] = expected[i] with { Group = group };
                        }
                    }
                    break;
            }
        }

        if (expected.Count == 0)
        {
            // Every spec was dropped (say, a lone hard link with no file to point at): a step must do something.
            lists[Kind.Dir].Append("      - { path: /empty, mode: \"0755\", owner: \"0:0\" }\n");
            expected.Add(new Expected("empty", "dir", 0b111_101_101, 0, 0, Sha256([]), 0, "", "empty"));
        }

        foreach (var (kind, key) in new[] { (Kind.File, "files"), (Kind.Dir, "dirs"), (Kind.Symlink, "symlinks"), (Kind.Hardlink, "hardlinks") })
        {
            if (lists[kind].Length > 0)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    {key}:\n").Append(lists[kind]);
            }
        }

        // The layer's order is the documented one (folders before their children, then byte order per
        // component); the comparison is by name, so the reader's order is checked by the writer's own tests.
        expected.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (yaml.ToString(), expected);
    }

    private static void Build(string recipe, string folder, string output)
    {
        var parsed = RecipeParser.Parse(recipe, Path.Combine(folder, "layerbuild.yml"), folder);
        ImageBuilder.BuildAsync(new BuildRequest(parsed, output)).GetAwaiter().GetResult();
    }

    private static List<Expected> ReadBack(string archive)
    {
        var entries = IndependentReader.Entries(archive)
            .Select(e => new Expected(
                e.GetProperty("name").GetString()!, e.GetProperty("kind").GetString()!, e.GetProperty("mode").GetInt32(),
                e.GetProperty("uid").GetInt64(), e.GetProperty("gid").GetInt64(), e.GetProperty("sha256").GetString()!,
                e.GetProperty("size").GetInt64(), e.GetProperty("link").GetString()!, e.GetProperty("name").GetString()!))
            .ToList();
        var byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);

        // A hard link names an earlier file of the layer: it reads as that file, in that file's group.
        var resolved = entries.Select(e => e.Kind == "hardlink" && byName.TryGetValue(e.Link, out var file) ? file with { Name = e.Name } : e).ToList();
        var groups = resolved.GroupBy(e => e.Group, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Name).Min(StringComparer.Ordinal)!, StringComparer.Ordinal);
        return resolved.Select(e => e with { Group = groups[e.Group] }).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    private static List<long> ReadTimes(string archive) => IndependentReader.Entries(archive).Select(e => e.GetProperty("mtime").GetInt64()).ToList();

    private static string Quote(string text) => JsonSerializer.Serialize(text); // a JSON string is a YAML double-quoted scalar

    private static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
