using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests.Support;

/// <summary>The two ways a recipe makes an image of exactly one layer.</summary>
public enum OneLayerShape
{
    /// <summary><c>base: { rootfs: folder }</c> (the busybox root of <see cref="FixtureImage"/>) and no steps.</summary>
    RootfsFolder,

    /// <summary>No <c>base:</c> (scratch) and one step: a copied folder with a static busybox and a
    /// text file, plus a <c>symlinks:</c> entry /bin/sh -> busybox.</summary>
    ScratchStep,
}

/// <summary>
/// An image of exactly one layer. In such an image the layer's data starts at a page boundary of the
/// outer tar, the gap before it filled by a PAX <c>comment</c> record on the layer member
/// (docs/decisions.md); <see cref="AssertPaddedLayout"/> proves an archive really has that layout.
/// </summary>
public sealed class OneLayerImage
{
    public const string Created = "2024-03-03T00:00:00Z";
    public const int PageSize = 4096;

    private OneLayerImage(string name, IReadOnlyList<string> tags, string archivePath, BuildResult result, OneLayerShape shape,
        string busybox, IReadOnlyDictionary<string, string> texts, string[] args, string runOutput)
    {
        Name = name;
        Tags = tags;
        ArchivePath = archivePath;
        Result = result;
        Shape = shape;
        Busybox = busybox;
        Texts = texts;
        Args = args;
        RunOutput = runOutput;
    }

    /// <summary>The repository, unique per build.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public string ArchivePath { get; }

    public BuildResult Result { get; }

    public OneLayerShape Shape { get; }

    /// <summary>The host's static busybox, whose bytes the image holds as /bin/busybox.</summary>
    public string Busybox { get; }

    /// <summary>Text files of the image (image path to content); one of them is unique per build, so
    /// no engine can already hold the layer and skip reading it.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    /// <summary>Entrypoint followed by cmd.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>What a container of the image prints with its own entrypoint and cmd.</summary>
    public string RunOutput { get; }

    /// <summary><c>name:tag</c> for each tag, as docker and manifest.json spell them.</summary>
    public IEnumerable<string> References => Tags.Select(t => $"{Name}:{t}");

    /// <summary>The diff id of the one layer, e.g. <c>sha256:…</c>.</summary>
    public string DiffId => Result.Layers.Single().DiffId.ToString();

    /// <param name="work">The test's folder.</param>
    /// <param name="purpose">A short word for the image name.</param>
    /// <param name="format">The archive layout.</param>
    /// <param name="shape">Which recipe makes the one layer.</param>
    /// <param name="tags">Default: 1.0 and latest.</param>
    public static async Task<OneLayerImage> BuildAsync(TempFolder work, string purpose, ArchiveFormat format, OneLayerShape shape, string[]? tags = null)
    {
        tags ??= ["1.0", "latest"];
        var busybox = Engines.StaticBusybox();
        var name = $"lbe-test/{purpose}-{Guid.NewGuid():N}"[..^20];
        var context = Directory.CreateDirectory(work.Combine("context")).FullName;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        string body;
        string[] args;
        string runOutput;
        if (shape == OneLayerShape.RootfsFolder)
        {
            var rootfs = work.Combine("rootfs");
            await FixtureImage.WriteRootfsAsync(rootfs, busybox);
            texts["/etc/build-id"] = await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "build-id"));
            texts["/etc/base-release"] = await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "base-release"));
            args = ["/bin/sh", "-c", "echo one-layer-ok"];
            runOutput = "one-layer-ok\n";
            body = $$"""
                base: { rootfs: "{{rootfs}}" }
                config:
                  cmd: ["/bin/sh", "-c", "echo one-layer-ok"]
                  labels: { {{DockerEngine.TestLabel}}: one-layer }
                """;
        }
        else
        {
            var root = Path.Combine(context, "root");
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
            File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)Convert.ToInt32("0755", 8));
            var text = $"one-layer {Guid.NewGuid():N}\n";
            await File.WriteAllTextAsync(Path.Combine(root, "etc", "one.txt"), text);
            texts["/etc/one.txt"] = text;
            // Through the /bin/sh symlink, so the container proves the link as well as the file.
            args = ["/bin/sh", "-c", "exec /bin/busybox cat /etc/one.txt"];
            runOutput = text;
            body = $$"""
                config:
                  entrypoint: ["/bin/sh", "-c", "exec /bin/busybox cat /etc/one.txt"]
                  labels: { {{DockerEngine.TestLabel}}: one-layer }
                steps:
                  - name: one
                    copy:
                      - { src: root/, dest: / }
                    symlinks:
                      - { path: /bin/sh, target: busybox }
                """;
        }

        var recipeFile = Path.Combine(context, "layerbuild.yml");
        await File.WriteAllTextAsync(recipeFile, $$"""
            image: {{name}}
            tags: [{{string.Join(", ", tags.Select(t => $"\"{t}\""))}}]
            platform: linux/{{FixtureImage.Architecture}}
            created: "{{Created}}"
            {{body}}
            """);

        var output = work.Combine("out", format == ArchiveFormat.Oci ? "one-layer-oci.tar" : "one-layer-docker.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var result = await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(recipeFile), output) { Format = format });
        return new OneLayerImage(name, tags, output, result, shape, busybox, texts, args, runOutput);
    }

    /// <summary>
    /// Reads the archive's own bytes: the member manifest.json names as the one layer is a regular file
    /// whose data starts at a multiple of <see cref="PageSize"/>, behind a PAX header with a
    /// <c>comment</c> record, and the bytes there are the layer (their sha256 is the diff id).
    /// </summary>
    public void AssertPaddedLayout()
    {
        Assert.That(Result.Layers, Has.Count.EqualTo(1), "a one-layer image");
        var layers = ArchiveRewriter.ManifestLayers(ArchivePath);
        Assert.That(layers, Has.Count.EqualTo(1), "manifest.json Layers");

        var members = TarMember.Scan(ArchivePath);
        var matches = members.Where(m => m.Name == layers[0]).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"members named {layers[0]}: {string.Join(", ", members.Select(m => m.Name))}");
        var layer = matches[0];
        Assert.Multiple(() =>
        {
            Assert.That(layer.TypeFlag, Is.EqualTo((byte)'0'), "the layer member is a regular file");
            Assert.That(layer.DataOffset % PageSize, Is.Zero, $"the layer's data offset {layer.DataOffset} is at a page boundary");
            Assert.That(layer.Pax.Keys, Does.Contain("comment"), "the layer member's PAX header pads with a comment record");
            Assert.That(layer.Size, Is.EqualTo(Result.Layers[0].Size), "the layer member's size");
        });

        using var file = File.OpenRead(ArchivePath);
        file.Position = layer.DataOffset;
        var data = new byte[layer.Size];
        file.ReadExactly(data);
        Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)), Is.EqualTo(DiffId), "the bytes at the layer's data offset are the layer");
    }
}

/// <summary>
/// One member of a tar, read from the raw 512-byte blocks rather than through a tar library, so its
/// offsets are the ones on disk. <see cref="Pax"/> holds the records of the 'x' header before it.
/// </summary>
public sealed record TarMember(string Name, byte TypeFlag, long HeaderOffset, long DataOffset, long Size, IReadOnlyDictionary<string, string> Pax)
{
    private const int Block = 512;

    public static IReadOnlyList<TarMember> Scan(string path)
    {
        using var file = File.OpenRead(path);
        var members = new List<TarMember>();
        var header = new byte[Block];
        Dictionary<string, string>? pax = null;
        long offset = 0;
        while (true)
        {
            file.Position = offset;
            file.ReadExactly(header);
            if (header.All(b => b == 0))
            {
                return members;
            }

            var size = Number(header.AsSpan(124, 12));
            var typeFlag = header[156];
            var data = offset + Block;
            if (typeFlag == (byte)'x')
            {
                var records = new byte[size];
                file.Position = data;
                file.ReadExactly(records);
                pax = Records(records);
            }
            else if (typeFlag != (byte)'g')
            {
                var name = Text(header.AsSpan(0, 100));
                var prefix = Text(header.AsSpan(345, 155));
                name = prefix.Length > 0 ? $"{prefix}/{name}" : name;
                var records = pax ?? [];
                if (records.TryGetValue("path", out var paxName))
                {
                    name = paxName;
                }

                if (records.TryGetValue("size", out var paxSize))
                {
                    size = long.Parse(paxSize, CultureInfo.InvariantCulture);
                }

                members.Add(new TarMember(name, typeFlag, offset, data, size, records));
                pax = null;
            }

            offset = data + ((size + Block - 1) / Block * Block);
        }
    }

    /// <summary>Octal digits (NUL/space terminated), or base-256 when the first byte's high bit is set.</summary>
    private static long Number(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            return BinaryPrimitives.ReadInt64BigEndian(field[^8..]);
        }

        var text = Text(field).Trim();
        return text.Length == 0 ? 0 : Convert.ToInt64(text, 8);
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>"LEN key=value\n" records (POSIX pax).</summary>
    private static Dictionary<string, string> Records(byte[] body)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (at < body.Length && body[at] != 0)
        {
            var space = Array.IndexOf(body, (byte)' ', at);
            var length = int.Parse(Encoding.ASCII.GetString(body, at, space - at), CultureInfo.InvariantCulture);
            var record = Encoding.UTF8.GetString(body, space + 1, at + length - space - 2);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            records[record[..equals]] = record[(equals + 1)..];
            at += length;
        }

        return records;
    }
}
