using System.Text;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// One of the image's account files (<c>/etc/passwd</c>, <c>/etc/group</c>, <c>/etc/shadow</c>) as the
/// layers below a step have it: its lines, and the entry whose mode and owner a rewrite keeps. Lines are
/// kept exactly as they are; only the ones a step adds or extends change.
/// </summary>
internal sealed class AccountFile
{
    /// <summary>Far past any real account file; a bigger one in a base is refused rather than read into memory.</summary>
    public const long MaximumBytes = 16 << 20;

    private AccountFile(ImagePath path, LayerEntry? existing, List<string> lines)
    {
        Path = path;
        Existing = existing;
        Lines = lines;
    }

    public ImagePath Path { get; }

    /// <summary>The lower layers' file; null when the image has none yet.</summary>
    public LayerEntry? Existing { get; }

    public List<string> Lines { get; }

    public bool Changed { get; set; }

    /// <summary>The file at <paramref name="path"/> in the merged lower layers (symlinks followed); null
    /// with <paramref name="problem"/> set when it is not a regular file or is too big.</summary>
    public static AccountFile Read(LowerLayerIndex lower, string path, out string? problem)
    {
        problem = null;
        var resolved = lower.ResolveAll(ImagePath.Parse(path));
        var entry = resolved.Problem is null ? lower.Get(resolved.Path) : null;
        if (entry is null)
        {
            return new AccountFile(resolved.Path, null, []);
        }

        if (entry is not { Kind: EntryKind.File, Content: { } content } || content.Length > MaximumBytes)
        {
            problem = entry.Kind != EntryKind.File ? $"{path} in the image is not a regular file" : $"{path} in the image is over {MaximumBytes >> 20} MiB";
            return new AccountFile(resolved.Path, null, []);
        }

        // Exactly the file's bytes: a member of a base tar opens onto the tar, not onto the file alone.
        var bytes = new byte[content.Length];
        using (var stream = content.Open())
        {
            stream.ReadExactly(bytes);
        }

        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n').ToList();
        if (text.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new AccountFile(resolved.Path, entry, text.Length == 0 ? [] : lines);
    }

    /// <summary>The fields of the first line whose name (first field) is <paramref name="name"/>.</summary>
    public string[]? ByName(string name) => Entries().FirstOrDefault(f => f[0] == name);

    /// <summary>The fields of the first line whose id (third field) is <paramref name="id"/>.</summary>
    public string[]? ById(int id) =>
        Entries().FirstOrDefault(f => f.Length > 2 && f[2] == id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Append(string line)
    {
        Lines.Add(line);
        Changed = true;
    }

    /// <summary>The bytes to write: every line with a line break after it.</summary>
    public byte[] Bytes() => Encoding.UTF8.GetBytes(string.Concat(Lines.Select(l => l + "\n")));

    private IEnumerable<string[]> Entries() =>
        Lines.Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'));
}
