using System.Formats.Tar;
using BenchmarkDotNet.Attributes;
using ICSharpCode.SharpZipLib.Tar;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;

namespace LayerBuilder.Benchmarks;

/// <summary>
/// Writing 1,000 headers of empty files (short and long names): our encoder against the BCL's
/// TarWriter and SharpZipLib's TarOutputStream. docs/decisions.md D1 records why ours is used.
/// </summary>
[MemoryDiagnoser]
public class TarHeaderBenchmarks
{
    private readonly LayerEntry[] entries = Enumerable.Range(0, 1000)
        .Select(i => new LayerEntry
        {
            Path = ImagePath.Parse(i % 10 == 0 ? $"/usr/share/{new string('x', 120)}/file{i}" : $"/usr/lib/file{i}.so"),
            Kind = EntryKind.File,
            Mode = Permissions.DefaultFile,
            ModifiedTime = 1_700_000_000,
            Content = new InlineContent(Array.Empty<byte>()),
        })
        .ToArray();

    private readonly MemoryStream output = new(4 << 20);

    [Benchmark(Baseline = true)]
    public long LayerBuilderEncoder()
    {
        output.SetLength(0);
        foreach (var entry in entries)
        {
            TarHeaderWriter.WriteHeader(output, entry);
        }

        return output.Length;
    }

    [Benchmark]
    public long BclTarWriterPax()
    {
        output.SetLength(0);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.TarName) { ModificationTime = DateTimeOffset.FromUnixTimeSeconds(entry.ModifiedTime), Mode = (UnixFileMode)entry.Mode });
        }

        return output.Length;
    }

    [Benchmark]
    public long SharpZipLibTarOutputStream()
    {
        output.SetLength(0);
        using var tar = new TarOutputStream(output, 1, System.Text.Encoding.UTF8) { IsStreamOwner = false };
        foreach (var entry in entries)
        {
            var header = ICSharpCode.SharpZipLib.Tar.TarEntry.CreateTarEntry(entry.TarName);
            header.ModTime = DateTimeOffset.FromUnixTimeSeconds(entry.ModifiedTime).UtcDateTime;
            header.TarHeader.Mode = entry.Mode;
            header.UserName = "";
            header.GroupName = "";
            header.Size = 0;
            tar.PutNextEntry(header);
            tar.CloseEntry();
        }

        return output.Length;
    }
}
