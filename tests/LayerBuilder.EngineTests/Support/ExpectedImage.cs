using System.Security.Cryptography;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// One path of the fixture image as <c>stat -c '%a %u %g %F'</c> shows it, plus what reading it must give.
/// </summary>
/// <param name="Path">The absolute image path.</param>
/// <param name="Type">stat's %F: "directory", "regular file", "regular empty file", "symbolic link".</param>
/// <param name="Mode">Octal permission bits as stat's %a prints them (no leading zero).</param>
/// <param name="Uid">Numeric owner.</param>
/// <param name="Gid">Numeric group.</param>
public sealed record ExpectedEntry(string Path, string Type, string Mode, int Uid, int Gid)
{
    /// <summary>What readlink prints, for symbolic links.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>What cat prints (through the link, for symbolic links).</summary>
    public string? Text { get; init; }

    /// <summary>Another path that must be the same inode, with a link count of 2.</summary>
    public string? HardlinkOf { get; init; }
}

/// <summary>What the <see cref="FixtureImage"/> recipe must produce, path by path, in any engine.</summary>
public sealed class ExpectedImage
{
    public const string Directory = "directory";
    public const string File = "regular file";
    public const string Symlink = "symbolic link";
    public const string EmptyFile = "regular empty file";

    public static readonly string[] Applets = ["sh", "stat", "cat", "readlink", "ls"];

    public static readonly byte[] BlobBytes = [0x00, 0x01, 0x02, 0xFF, 0xFE, 0x0A, 0x0D, (byte)'L', (byte)'B'];

    public const string RunScript = """
        #!/bin/sh
        echo "run-ok $*"
        echo "user=$(/bin/busybox id -u):$(/bin/busybox id -g)"
        echo "pwd=$(pwd)"
        echo "greeting=$GREETING"

        """;

    public const string ConfigIni = "greeting=Hello\nname=layerbuilder\n";

    /// <summary>Longer than the 100 bytes of a ustar name field: needs PAX (or GNU) long names.</summary>
    public const string LongPath = "/opt/deep/aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccc/dddddddddddddddddddd/eeeeeeeeeeeeeeeeeeee/a-file-with-a-long-name.txt";

    /// <summary>Longer than the 100 bytes of a ustar linkname field; relative, so it resolves on a host too.</summary>
    public const string LongLinkTarget = "deep/aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccc/dddddddddddddddddddd/eeeeeeeeeeeeeeeeeeee/a-file-with-a-long-name.txt";

    /// <summary>A non-ASCII name (UTF-8 in the tar). Kept out of <see cref="Listings"/>: busybox ls prints '?' for it.</summary>
    public const string Utf8Name = "grüße.txt";

    /// <summary>Numeric owner of the entries in the archive the extract step unpacks.</summary>
    public static readonly (int Uid, int Gid) ArchiveOwner = (1234, 4321);

    /// <summary>What <c>docker run IMAGE</c> prints: entrypoint + cmd, as user 1000:1000 in /app with the env.</summary>
    public const string DefaultRunOutput = "run-ok from-cmd second arg\nuser=1000:1000\npwd=/app\ngreeting=hello from layerbuilder\n";

    private ExpectedImage(IReadOnlyList<ExpectedEntry> entries) => Entries = entries;

    public IReadOnlyList<ExpectedEntry> Entries { get; }

    /// <summary>Paths that must not exist: removed from a lower layer, hidden by an opaque folder, or excluded.</summary>
    public IReadOnlyList<string> Gone { get; } =
    [
        "/etc/obsolete.conf",
        "/usr/share/doc",
        "/opt/legacy/old.txt",
        "/opt/legacy/sub",
        "/app/app.pdb",
        "/app/sub/deep.pdb",
        "/app/cache",
        "/usr/local/bin/README.md",
    ];

    /// <summary>Exact <c>ls -1a</c> of folders whose whole content matters.</summary>
    public IReadOnlyDictionary<string, string> Listings { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["/opt/legacy"] = ".\n..\nnew.txt\n", // opaque: the lower old.txt and sub/ are hidden
        ["/app"] = ".\n..\nbin\ncurrent\ndangling\ndata-link.txt\ndata.txt\nrun.sh\nsub\n",
        ["/app/sub"] = ".\n..\ndeep.txt\n",
        ["/usr/local/bin"] = ".\n..\nsuid-tool\ntool.sh\n",
        ["/usr/share"] = ".\n..\n",
        ["/perms"] = ".\n..\nexact.sh\ninner\nprivate.txt\n",
        ["/etc/app"] = ".\n..\nblob.bin\nconfig-hard.ini\nconfig.ini\ncurrent.ini\nempty\n",
        ["/home"] = ".\n..\napp\n",
        ["/opt/tools/share"] = ".\n..\nlink\nreadme-hard.txt\nreadme.txt\n",
    };

    /// <summary>Files compared by hash because they are binary.</summary>
    public IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>
    {
        ["/etc/app/blob.bin"] = Convert.ToHexStringLower(SHA256.HashData(BlobBytes)),
    };

    /// <summary>Commands run inside a container (as root) and what they print.</summary>
    public IReadOnlyDictionary<string, string> Runs { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["/usr/local/bin/tool.sh"] = "tool-ok\n",
        ["/app/run.sh"] = "run-sh-ok\n",
        ["/perms/exact.sh"] = "exact-ok\n",
        ["/opt/tools/bin/hello.sh"] = "extracted-ok\n",
        ["/usr/local/bin/suid-tool"] = "suid-ok\n",
        ["/usr/bin/greet probe"] = "run-ok probe\nuser=0:0\npwd=/app\ngreeting=hello from layerbuilder\n",
    };

    /// <param name="baseOwner">Owner of the host rootfs files (whoever ran the tests); the base keeps it.</param>
    public static ExpectedImage For((int Uid, int Gid) baseOwner)
    {
        var (bu, bg) = baseOwner;
        var (au, ag) = ArchiveOwner;
        var entries = new List<ExpectedEntry>
        {
            // Layer 0, the base rootfs: host modes and owner.
            new("/bin", Directory, "755", bu, bg),
            new("/bin/busybox", File, "755", bu, bg),
            new("/etc", Directory, "755", bu, bg),
            new("/etc/base-release", File, "644", bu, bg) { Text = "base-release 1\n" },
            new("/opt", Directory, "755", bu, bg),
            new("/usr", Directory, "755", bu, bg),
            new("/usr/bin", Directory, "755", bu, bg),
            new("/usr/share", Directory, "755", bu, bg),

            // Layer 1, copy of app/: include/exclude, dirMode and owner forced, executable bit from the host.
            new("/app", Directory, "750", 1000, 1000),
            new("/app/run.sh", File, "755", 1000, 1000) { Text = "#!/bin/sh\necho run-sh-ok\n" },
            new("/app/data.txt", File, "644", 1000, 1000) { Text = "data\n" },
            new("/app/data-link.txt", File, "644", 1000, 1000) { Text = "data\n", HardlinkOf = "/app/data.txt" },
            new("/app/current", Symlink, "777", 1000, 1000) { LinkTarget = "data.txt", Text = "data\n" },
            new("/app/sub", Directory, "750", 1000, 1000),
            new("/app/sub/deep.txt", File, "644", 1000, 1000) { Text = "deep\n" },

            // copy of tools/ with include and a forced mode; copy of perms/ with preserveMode.
            new("/usr/local", Directory, "755", 0, 0),
            new("/usr/local/bin", Directory, "755", 0, 0),
            new("/usr/local/bin/tool.sh", File, "750", 0, 0) { Text = "#!/bin/sh\necho tool-ok\n" },
            // The destination folder the copy creates: the default 0755, not the host folder's 0710 (as COPY).
            new("/perms", Directory, "755", 0, 0),
            new("/perms/exact.sh", File, "751", 0, 0) { Text = "#!/bin/sh\necho exact-ok\n" },
            new("/perms/private.txt", File, "640", 0, 0) { Text = "private\n" },
            new("/perms/inner", Directory, "750", 0, 0),
            new("/perms/inner/x.txt", File, "604", 0, 0) { Text = "x\n" },

            // files, dirs, symlinks and hard links of the same step.
            new("/app/bin", Directory, "755", 0, 0),
            new("/app/bin/run", File, "755", 0, 0) { Text = RunScript },
            new("/etc/app", Directory, "755", 0, 0),
            new("/etc/app/config.ini", File, "640", 0, 1000) { Text = ConfigIni },
            new("/etc/app/config-hard.ini", File, "640", 0, 1000) { Text = ConfigIni, HardlinkOf = "/etc/app/config.ini" },
            new("/etc/app/current.ini", Symlink, "777", 0, 0) { LinkTarget = "config.ini", Text = ConfigIni },
            new("/etc/app/blob.bin", File, "600", 1000, 1000),
            new("/etc/base-release-hard", File, "644", bu, bg) { Text = "base-release 1\n", HardlinkOf = "/etc/base-release" },
            new("/tmp", Directory, "1777", 0, 0),
            new("/home", Directory, "755", 0, 0),
            new("/home/app", Directory, "700", 1000, 1000),
            new("/data", Directory, "775", 1000, 1000),
            new("/usr/bin/greet", Symlink, "777", 0, 0) { LinkTarget = "/app/bin/run" },
            new("/app/dangling", Symlink, "777", 0, 0) { LinkTarget = "/nonexistent/target" },

            // Edge cases of the tar format: empty file, setuid, long names and link targets, UTF-8 names.
            new("/etc/app/empty", EmptyFile, "644", 0, 0) { Text = "" },
            new("/usr/local/bin/suid-tool", File, "4755", 0, 0) { Text = "#!/bin/sh\necho suid-ok\n" },
            new("/opt/deep", Directory, "755", 0, 0),
            new(LongPath, File, "644", 0, 0) { Text = "long\n" },
            new("/opt/long-link", Symlink, "777", 0, 0) { LinkTarget = LongLinkTarget, Text = "long\n" },
            new("/etc/i18n", Directory, "755", 0, 0),
            new($"/etc/i18n/{Utf8Name}", File, "644", 0, 0) { Text = Utf8Name + "\n" },

            // extract: the archive's own modes and owners; dest itself is a new parent folder.
            new("/opt/tools", Directory, "755", 0, 0),
            new("/opt/tools/bin", Directory, "755", au, ag),
            new("/opt/tools/bin/hello.sh", File, "750", au, ag) { Text = "#!/bin/sh\necho extracted-ok\n" },
            new("/opt/tools/share", Directory, "755", au, ag),
            new("/opt/tools/share/readme.txt", File, "444", au, ag) { Text = "readme\n" },
            new("/opt/tools/share/readme-hard.txt", File, "444", au, ag) { Text = "readme\n", HardlinkOf = "/opt/tools/share/readme.txt" },
            new("/opt/tools/share/link", Symlink, "777", au, ag) { LinkTarget = "readme.txt", Text = "readme\n" },

            // Layer 2: /opt/legacy removed and written again in one step, so only new.txt is left.
            new("/opt/legacy", Directory, "755", 0, 0),
            new("/opt/legacy/new.txt", File, "644", 0, 0) { Text = "new\n" },
        };
        entries.AddRange(Applets.Select(a => new ExpectedEntry($"/bin/{a}", Symlink, "777", bu, bg) { LinkTarget = "busybox" }));
        return new ExpectedImage(entries);
    }
}
