using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace LayerBuilder.EngineTests.Differential;

/// <summary>
/// Writes a scenario's build context: files and folders with exact modes (setuid, setgid and sticky
/// included), symlinks, hard-link groups and tars whose entries carry their own owners and special bits.
/// Folder modes are applied last, deepest first, so a folder without write permission can still be filled.
/// </summary>
public sealed class ScenarioContext(string root)
{
    private readonly List<(string Path, UnixFileMode Mode)> folderModes = [];

    public string Root => root;

    public ScenarioContext File(string relative, string content, string mode = "0644")
    {
        var path = Prepare(relative);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, Mode(mode));
        return this;
    }

    public ScenarioContext Folder(string relative, string mode = "0755")
    {
        var path = Prepare(relative);
        Directory.CreateDirectory(path);
        folderModes.Add((path, Mode(mode)));
        return this;
    }

    public ScenarioContext Symlink(string relative, string target)
    {
        System.IO.File.CreateSymbolicLink(Prepare(relative), target);
        return this;
    }

    public ScenarioContext Hardlink(string relative, string existing)
    {
        var made = ProcessRunner.RunCheckedAsync("ln", [Path.Combine(root, existing), Prepare(relative)]).GetAwaiter().GetResult();
        Assert.That(made.Succeeded, made.Describe);
        return this;
    }

    /// <summary>A tar (gzipped when the name ends in .gz) of the given entries, written with .NET's own tar writer.</summary>
    public ScenarioContext Tar(string relative, params TarItem[] items)
    {
        var path = Prepare(relative);
        using var file = System.IO.File.Create(path);
        using Stream stream = relative.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(stream, TarEntryFormat.Ustar);
        foreach (var item in items)
        {
            var entry = new UstarTarEntry(item.Kind, item.Name)
            {
                Uid = item.Uid,
                Gid = item.Gid,
                Mode = Mode(item.Mode),
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            };
            if (item.Kind is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                entry.LinkName = item.Content;
            }
            else if (item.Kind == TarEntryType.RegularFile)
            {
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(item.Content));
            }

            writer.WriteEntry(entry);
        }

        return this;
    }

    /// <summary>Applies the folder modes, deepest first.</summary>
    public void Finish()
    {
        foreach (var (path, mode) in folderModes.OrderByDescending(f => f.Path.Length))
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }
    }

    public static UnixFileMode Mode(string octal) => (UnixFileMode)System.Convert.ToInt32(octal, 8);

    private string Prepare(string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

/// <summary>One entry of a tar a scenario ADDs: a file's content, or a link's target.</summary>
public sealed record TarItem(TarEntryType Kind, string Name, string Mode, int Uid = 0, int Gid = 0, string Content = "");
