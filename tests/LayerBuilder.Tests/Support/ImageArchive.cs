using System.Security.Cryptography;
using System.Text.Json;
using LayerBuilder.Reading;
using PublicArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A small save-format archive read back for the round-trip tests: its images, configs and layers through
/// the library's public reader (<see cref="PublicArchive"/>), and its outer members in archive order through
/// SharpZipLib, so the outer tar's shape is still checked by a reader the product does not use. The public
/// reader itself is held against Python's tarfile (Reading/PublicReaderAgreesWithPythonTests).
/// </summary>
public sealed class ImageArchive
{
    private readonly PublicArchive archive;

    private ImageArchive(PublicArchive archive, List<TarMember> members)
    {
        this.archive = archive;
        Members = members;
    }

    /// <summary>The outer tar's members, as SharpZipLib reads them.</summary>
    public IReadOnlyList<TarMember> Members { get; }

    /// <summary>The only image (or the first).</summary>
    public ArchivedImage Image => archive.Images[0];

    public static ImageArchive Read(string path) =>
        new(PublicArchive.OpenAsync(path).GetAwaiter().GetResult(), TarMembers.ReadFile(path));

    public bool Has(string name) => Members.Any(m => m.Name == name);

    public byte[] Bytes(string name) =>
        Members.SingleOrDefault(m => m.Name == name)?.Content ?? throw new AssertionException($"the archive has no member '{name}'");

    public JsonElement Json(string name) => JsonDocument.Parse(Bytes(name)).RootElement;

    /// <summary>The only image of manifest.json.</summary>
    public JsonElement Manifest => Json("manifest.json")[0];

    /// <summary>The config of the image, as the public reader found its exact bytes.</summary>
    public JsonElement ConfigDocument => JsonDocument.Parse(Image.RawConfig).RootElement;

    public IReadOnlyList<string> LayerPaths => Manifest.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();

    /// <summary>Layer <paramref name="index"/> (bottom first), every entry with its content, read by the public reader.</summary>
    public List<TarMember> Layer(int index) => ReadLayerAsync(Image.Layers[index]).GetAwaiter().GetResult();

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The entries of a layer as <see cref="TarMember"/>s: folders get back the trailing '/' the
    /// writer gives them (docs/archive-formats.md), kinds their tar type flag.</summary>
    public static async Task<List<TarMember>> ReadLayerAsync(ArchivedLayer layer)
    {
        var members = new List<TarMember>();
        await using var reader = await layer.OpenEntryReaderAsync();
        while (await reader.NextAsync() is { } entry)
        {
            using var content = new MemoryStream();
            await using (var data = reader.OpenContent())
            {
                await data.CopyToAsync(content);
            }

            members.Add(new TarMember(
                entry.Kind == LayerEntryKind.Directory ? entry.Path + "/" : entry.Path,
                TypeFlag(entry.Kind),
                (int)entry.Mode,
                entry.Uid,
                entry.Gid,
                entry.UserName,
                entry.GroupName,
                entry.LinkTarget ?? "",
                entry.ModificationTime.ToUnixTimeSeconds(),
                entry.Size,
                content.ToArray()));
        }

        return members;
    }

    private static char TypeFlag(LayerEntryKind kind) => kind switch
    {
        LayerEntryKind.Directory => '5',
        LayerEntryKind.Symlink => '2',
        LayerEntryKind.HardLink => '1',
        LayerEntryKind.CharacterDevice => '3',
        LayerEntryKind.BlockDevice => '4',
        LayerEntryKind.Fifo => '6',
        _ => '0',
    };
}
