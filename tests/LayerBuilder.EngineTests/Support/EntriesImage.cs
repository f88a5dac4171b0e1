using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// The image the fixture-entry engine tests load (docs/fixtures.md): the busybox base, a step with a
/// device of each kind, a FIFO, setuid/setgid/sticky modes, a file capability and a user xattr, a time
/// before 1970, a name that is not UTF-8, a long name and a hard link to a base file; and a step with
/// explicit whiteouts and an opaque folder. <see cref="Script"/> prints what a container sees;
/// <see cref="ExpectedOutput"/> is what it must print.
/// </summary>
public sealed record EntriesImage(string Reference, string ArchivePath, BuildResult Result)
{
    /// <summary>cap_net_raw+ep, as the kernel stores security.capability (revision 2).</summary>
    public static readonly byte[] Capability = Convert.FromBase64String("AQAAAgAgAAAAAAAAAAAAAAAAAAA=");

    /// <summary>A name of 200 bytes: over ustar's 100, under a file system's 255.</summary>
    public static readonly string LongName = new('n', 200);

    public static async Task<EntriesImage> BuildAsync(TempFolder work, string purpose, ArchiveFormat format)
    {
        var rootfs = work.Combine("rootfs");
        await FixtureImage.WriteRootfsAsync(rootfs, Engines.StaticBusybox());
        var name = $"lbe-test/{purpose}-{Guid.NewGuid():N}"[..^20];
        var recipe = RecipeBuilder.FromRootfs(name, rootfs)
            .Tags("1.0")
            .Platform($"linux/{FixtureImage.Architecture}")
            .Created(DateTimeOffset.Parse(FixtureImage.Created, System.Globalization.CultureInfo.InvariantCulture))
            .Step("entries", s => s
                .Node("/fixture/null", NodeType.CharDevice, major: 1, minor: 3, mode: Mode("666"))
                .Node("/fixture/loop", NodeType.BlockDevice, major: 7, minor: 0, mode: Mode("660"), owner: "0:6")
                .Node("/fixture/pipe", NodeType.Fifo, mode: Mode("600"), owner: "1000:1000")
                .File("/fixture/suid", "suid\n", mode: Mode("4755"),
                    xattrs: new Dictionary<string, byte[]> { ["security.capability"] = Capability, ["user.note"] = "hello"u8.ToArray() })
                .File("/fixture/old", "old\n", mtime: DateTimeOffset.UnixEpoch.AddSeconds(-86400.5))
                .File(@"/fixture/caf\xE9", "latin-1\n")
                .File("/fixture/" + LongName, "long\n")
                .Dir("/fixture/team", mode: Mode("2775"))
                .Dir("/fixture/tmp", mode: Mode("1777"))
                .Hardlink("/fixture/bb", "/bin/busybox"))
            .Step("markers", s => s
                .Whiteout("/etc/obsolete.conf", "/never/was")
                .Opaque("/opt/legacy")
                .File("/opt/legacy/new.txt", "new\n"))
            .Config(c => c.Label(DockerEngine.TestLabel, "true"))
            .Check("/fixture/null", type: ImageEntryType.CharDevice)
            .Check("/etc/obsolete.conf", exists: false)
            .Build();
        var output = work.Combine("out", format == ArchiveFormat.Oci ? "entries-oci.tar" : "entries-docker.tar");
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, output) with { Format = format });
        return new EntriesImage($"{name}:1.0", output, result);
    }

    /// <summary>A busybox sh script that prints one line per fact of the image's filesystem.</summary>
    public static string Script => $$"""
        cd /fixture
        stat -c '%n %F %t %T %a %u:%g' null loop pipe
        test -p pipe && echo "pipe is a fifo"
        stat -c '%n %a' suid team tmp
        stat -c '%n %Y' old
        test -f "$(printf 'caf\351')" && echo "latin-1 name"
        test -f {{LongName}} && echo "long name"
        stat -c '%h' bb /bin/busybox
        test "$(stat -c %i bb)" = "$(stat -c %i /bin/busybox)" && echo "bb is busybox"
        test -e /etc/obsolete.conf || echo "obsolete.conf is gone"
        test -d /never && test ! -e /never/was && echo "never/was is hidden"
        ls /opt/legacy
        """;

    /// <summary>What <see cref="Script"/> prints.</summary>
    /// <param name="keepsTimesBefore1970">docker and podman (Moby's and containers/storage's unpackers)
    /// set a time before 1970 to 1970; umoci keeps it.</param>
    public static string ExpectedOutput(bool keepsTimesBefore1970) => string.Join('\n',
        [
            "null character special file 1 3 666 0:0",
            "loop block special file 7 0 660 0:6",
            "pipe fifo 0 0 600 1000:1000",
            "pipe is a fifo",
            "suid 4755",
            "team 2775",
            "tmp 1777",
            keepsTimesBefore1970 ? "old -86401" : "old 0",
            "latin-1 name",
            "long name",
            "2",
            "2",
            "bb is busybox",
            "obsolete.conf is gone",
            "never/was is hidden",
            "new.txt",
        ]) + "\n";

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
