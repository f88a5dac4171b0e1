using System.Formats.Tar;
using System.Text;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Faults;

/// <summary>
/// The layer the tar-content faults add on top of an image: a few hostile entries no recipe step can
/// write (a member named <c>../…</c>, one named <c>/…</c>, a symlink out of the root and a file written
/// through it), each with a line of text naming its fault. It is a few kilobytes, so it is made in
/// memory; its digest and diff id are those of its bytes, so nothing but the entries is wrong.
/// </summary>
internal sealed class FaultLayer : ILayer
{
    public const string TraversalName = "../layerbuilder-fault-path-traversal";
    public const string AbsoluteName = "/tmp/layerbuilder-fault-absolute-path";
    public const string EscapingLink = "layerbuilder-fault-escape";

    /// <summary>Deep enough to reach the host's root from wherever a naive extractor unpacks.</summary>
    public const string EscapingTarget = "../../../../../../../../../../tmp";

    public const string WrittenThroughLink = EscapingLink + "/layerbuilder-fault-symlink-escape";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode LinkMode = (UnixFileMode)0b111_111_111; // 0777, as symlinks are

    private readonly byte[] bytes;

    private FaultLayer(byte[] bytes)
    {
        this.bytes = bytes;
        Digest = Digest.Of(bytes);
    }

    public Digest Digest { get; }

    public Digest DiffId => Digest;

    public long Size => bytes.Length;

    public string MediaType => MediaTypes.Layer;

    /// <summary>The entries of <paramref name="faults"/> that live in a layer, in a fixed order; null when none does.</summary>
    public static FaultLayer? For(IReadOnlyCollection<ImageFault> faults, DateTimeOffset created)
    {
        var entries = new List<TarEntry>();
        if (faults.Contains(ImageFault.PathTraversal))
        {
            entries.Add(File(TraversalName, ImageFault.PathTraversal, created));
        }

        if (faults.Contains(ImageFault.AbsolutePath))
        {
            entries.Add(File(AbsoluteName, ImageFault.AbsolutePath, created));
        }

        if (faults.Contains(ImageFault.SymlinkEscape))
        {
            entries.Add(new UstarTarEntry(TarEntryType.SymbolicLink, EscapingLink) { LinkName = EscapingTarget, Mode = LinkMode, ModificationTime = created });
            entries.Add(File(WrittenThroughLink, ImageFault.SymlinkEscape, created));
        }

        if (entries.Count == 0)
        {
            return null;
        }

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return new FaultLayer(tar.ToArray());
    }

    public Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));

    private static UstarTarEntry File(string name, ImageFault fault, DateTimeOffset created) => new(TarEntryType.RegularFile, name)
    {
        Mode = FileMode,
        ModificationTime = created,
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"layerbuilder fault: {FaultNames.NameOf(fault)}\n")),
    };
}
