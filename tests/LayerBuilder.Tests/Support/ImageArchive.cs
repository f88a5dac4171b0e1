using System.Security.Cryptography;
using System.Text.Json;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A small save-format archive read back with SharpZipLib and System.Text.Json only: its members in
/// archive order, and the layers manifest.json points at, each parsed as a tar of its own.
/// </summary>
public sealed class ImageArchive
{
    private ImageArchive(List<TarMember> members)
    {
        Members = members;
    }

    public IReadOnlyList<TarMember> Members { get; }

    public static ImageArchive Read(string path) => new(TarMembers.ReadFile(path));

    public bool Has(string name) => Members.Any(m => m.Name == name);

    public byte[] Bytes(string name) =>
        Members.SingleOrDefault(m => m.Name == name)?.Content ?? throw new AssertionException($"the archive has no member '{name}'");

    public JsonElement Json(string name) => JsonDocument.Parse(Bytes(name)).RootElement;

    /// <summary>The only image of manifest.json.</summary>
    public JsonElement Manifest => Json("manifest.json")[0];

    public JsonElement ConfigDocument => Json(Manifest.GetProperty("Config").GetString()!);

    public IReadOnlyList<string> LayerPaths => Manifest.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();

    /// <summary>Layer <paramref name="index"/> (bottom first) as manifest.json orders them.</summary>
    public List<TarMember> Layer(int index) => TarMembers.Read(Bytes(LayerPaths[index]));

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
