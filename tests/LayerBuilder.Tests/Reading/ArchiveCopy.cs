using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// A test archive's regular members in memory (test images are a few KiB), to be changed and written out
/// again as a damaged copy: a flipped byte, a JSON field changed, a member removed or renamed.
/// </summary>
public sealed class ArchiveCopy
{
    private readonly List<(string Name, byte[] Bytes)> members = [];

    public ArchiveCopy(string archive)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                members.Add((entry.Name, data.ToArray()));
            }
        }
    }

    public IEnumerable<string> Names => members.Select(m => m.Name);

    public byte[] this[string name]
    {
        get => members.Single(m => m.Name == name).Bytes;
        set
        {
            var at = members.FindIndex(m => m.Name == name);
            if (at < 0)
            {
                members.Add((name, value));
            }
            else
            {
                members[at] = (name, value);
            }
        }
    }

    public JsonNode Json(string name) => JsonNode.Parse(this[name])!;

    public void SetJson(string name, JsonNode node) => this[name] = Encoding.UTF8.GetBytes(node.ToJsonString());

    public void Remove(string name) => Assert.That(members.RemoveAll(m => m.Name == name), Is.EqualTo(1), name);

    public void Rename(string from, string to)
    {
        var at = members.FindIndex(m => m.Name == from);
        members[at] = (to, members[at].Bytes);
    }

    /// <summary>Flips every bit of the byte at <paramref name="offset"/> of member <paramref name="name"/>.</summary>
    public void Flip(string name, int offset)
    {
        var bytes = this[name].ToArray();
        bytes[offset] ^= 0xFF;
        this[name] = bytes;
    }

    public string WriteTo(string path)
    {
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        foreach (var (name, bytes) in members)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        }

        return path;
    }

    public static string BlobName(string digest) => "blobs/sha256/" + digest["sha256:".Length..];

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
