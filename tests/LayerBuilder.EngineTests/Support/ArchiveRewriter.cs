using System.Formats.Tar;
using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>Rewrites an outer save-format tar: drops members or changes one member's bytes.</summary>
public static class ArchiveRewriter
{
    public static void Rewrite(string source, string destination, Func<string, bool> keep, Func<string, byte[], byte[]>? change = null)
    {
        using var input = File.OpenRead(source);
        using var reader = new TarReader(input);
        using var output = File.Create(destination);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (!keep(entry.Name))
            {
                continue;
            }

            if (change is not null && entry.DataStream is { } data)
            {
                using var buffer = new MemoryStream();
                data.CopyTo(buffer);
                entry.DataStream = new MemoryStream(change(entry.Name, buffer.ToArray()));
            }

            writer.WriteEntry(entry);
        }
    }

    /// <summary>The members of an outer tar, by name.</summary>
    public static IReadOnlyList<string> Members(string archive)
    {
        using var input = File.OpenRead(archive);
        using var reader = new TarReader(input);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    /// <summary>manifest.json's <c>Layers</c> of the single image in the archive.</summary>
    public static IReadOnlyList<string> ManifestLayers(string archive)
    {
        using var input = File.OpenRead(archive);
        using var reader = new TarReader(input);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "manifest.json" && entry.DataStream is { } data)
            {
                using var document = JsonDocument.Parse(data);
                return document.RootElement[0].GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();
            }
        }

        throw new InvalidDataException($"{archive} has no manifest.json");
    }

    /// <summary>Replaces the first occurrence of <paramref name="find"/> with bytes of the same length,
    /// so the tar stays valid but the layer's diff id no longer matches.</summary>
    public static byte[] ReplaceOnce(byte[] bytes, byte[] find, byte[] replacement)
    {
        if (find.Length != replacement.Length)
        {
            throw new ArgumentException("the replacement must keep the length", nameof(replacement));
        }

        var at = bytes.AsSpan().IndexOf(find);
        if (at < 0)
        {
            throw new InvalidDataException("the bytes to replace are not in the member");
        }

        var copy = (byte[])bytes.Clone();
        replacement.CopyTo(copy, at);
        return copy;
    }
}
