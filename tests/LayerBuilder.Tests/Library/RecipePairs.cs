using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Golden;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// Recipes written twice: once as <c>layerbuild.yml</c> text, once with <see cref="RecipeBuilder"/>. Each
/// pair must build to the same bytes. Together they use every entry kind, every copy option, every base
/// kind, every config key (exec and shell forms), defaults, duplicate tags, a platform and a created
/// time with an offset. Host files come from the golden fixture folder, read only.
/// </summary>
public static class RecipePairs
{
    public const string EveryKind = "scratch, every entry kind";
    public const string Rootfs = "rootfs base (the golden fixture)";
    public const string OnImageArchive = "image archive base";
    public const string OnOciLayout = "OCI layout base";
    public const string FixtureEntries = "fixture entries and checks";

    /// <summary>The pairs by name; <paramref name="bases"/> holds the base archives <see cref="WriteBasesAsync"/> made.</summary>
    public static IReadOnlyDictionary<string, RecipePair> All(string bases) => new Dictionary<string, RecipePair>
    {
        [EveryKind] = new(EveryKind, EveryKindYaml, Fixture, () => EveryKindCode(Fixture), Layers: 5),
        [Rootfs] = new(Rootfs, File.ReadAllText(Path.Combine(Fixture, "layerbuild.yml")), Fixture, () => RootfsCode(Fixture), Layers: 5),
        [OnImageArchive] = new(OnImageArchive, OnImageArchiveYaml, bases, () => OnImageArchiveCode(bases), Layers: 6),
        [OnOciLayout] = new(OnOciLayout, OnOciLayoutYaml, bases, () => OnOciLayoutCode(bases), Layers: 7),
        [FixtureEntries] = new(FixtureEntries, FixtureEntriesYaml, Fixture, () => FixtureEntriesCode(Fixture), Layers: 2),
    };

    public static IEnumerable<string> Names => [EveryKind, Rootfs, OnImageArchive, OnOciLayout, FixtureEntries];

    /// <summary>Every fixture entry key (nodes, xattrs, mtime, whiteouts, opaque, byte escapes) and checks.</summary>
    private const string FixtureEntriesYaml = """
        image: fixtures/entries
        created: "2024-01-01T00:00:00Z"
        config: { user: "1000:1000" }
        steps:
          - name: entries
            files:
              - path: /usr/bin/ping
                content: "ping\n"
                mode: "4755"
                xattrs: { security.capability: "base64:AQAAAgAgAAAAAAAAAAAAAAAAAAA=", user.note: text }
                mtime: "1969-12-31T23:59:58.5Z"
              - { path: '/data/caf\xE9', content: "latin-1 name\n", mtime: 1700000000.1234567 }
            dirs:
              - { path: /tmp, mode: "1777", xattrs: { user.dir: "yes" }, mtime: -86400 }
              - { path: /srv/team, mode: "2775", owner: "0:50" }
            nodes:
              - { path: /dev/null, type: char, major: 1, minor: 3, mode: "0666", xattrs: { user.node: dev }, mtime: 1 }
              - { path: /dev/sda, type: block, major: 8, minor: 0, mode: "0660", owner: "0:6" }
              - { path: /run/app.fifo, type: fifo, mode: "0600", owner: "1000:1000" }
            copy:
              - { src: app/, dest: /srv/app/, xattrs: { user.copied: "1" }, mtime: "2000-01-01T00:00:00.5Z" }
            symlinks:
              - { path: /usr/bin/ping6, target: ping, mtime: 2 }
          - name: markers
            whiteouts: [/etc/never-was, '/data/old\xFF']
            opaque: [/srv/app]
            hardlinks:
              - { path: /usr/bin/ping-again, target: /usr/bin/ping, mtime: 3 }
        checks:
          - { path: /dev/null, type: char, mode: "0666", owner: "0:0" }
          - { path: /run/app.fifo, type: fifo }
          - { path: /usr/bin/ping, type: file, mode: "4755", size: 5, contains: ping }
          - { path: /usr/bin/ping6, type: symlink, target: ping }
          - { path: '/data/caf\xE9', exists: true }
          - { path: /srv/app, type: dir, exists: true }
          - config: { user: "1000:1000" }
        """;

    private static BuildRecipe FixtureEntriesCode(string folder)
    {
        var capability = Convert.FromBase64String("AQAAAgAgAAAAAAAAAAAAAAAAAAA=");
        static Dictionary<string, byte[]> Text(string name, string value) => new() { [name] = System.Text.Encoding.UTF8.GetBytes(value) };
        return RecipeBuilder.FromScratch("fixtures/entries")
            .BaseDirectory(folder)
            .Created(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
            .Step("entries", s => s
                .File("/usr/bin/ping", "ping\n", mode: (UnixFileMode)0b100_111_101_101,
                    xattrs: new Dictionary<string, byte[]> { ["security.capability"] = capability, ["user.note"] = "text"u8.ToArray() },
                    mtime: DateTimeOffset.UnixEpoch.AddSeconds(-1.5))
                .File(@"/data/caf\xE9", "latin-1 name\n", mtime: DateTimeOffset.UnixEpoch.AddTicks(17_000_000_001_234_567))
                .Dir("/tmp", mode: (UnixFileMode)0b001_111_111_111, xattrs: Text("user.dir", "yes"), mtime: DateTimeOffset.UnixEpoch.AddDays(-1))
                .Dir("/srv/team", mode: (UnixFileMode)0b010_111_111_101, owner: "0:50")
                .Node("/dev/null", NodeType.CharDevice, major: 1, minor: 3, mode: (UnixFileMode)0b110_110_110, xattrs: Text("user.node", "dev"), mtime: DateTimeOffset.UnixEpoch.AddSeconds(1))
                .Node("/dev/sda", NodeType.BlockDevice, major: 8, minor: 0, mode: (UnixFileMode)0b110_110_000, owner: "0:6")
                .Node("/run/app.fifo", NodeType.Fifo, mode: (UnixFileMode)0b110_000_000, owner: EntryOwner.Ids(1000, 1000))
                .Copy("app/", "/srv/app/", xattrs: Text("user.copied", "1"), mtime: new DateTimeOffset(2000, 1, 1, 0, 0, 0, 500, TimeSpan.Zero))
                .Symlink("/usr/bin/ping6", "ping", mtime: DateTimeOffset.UnixEpoch.AddSeconds(2)))
            .Step("markers", s => s
                .Whiteout("/etc/never-was", @"/data/old\xFF")
                .Opaque("/srv/app")
                .Hardlink("/usr/bin/ping-again", "/usr/bin/ping", mtime: DateTimeOffset.UnixEpoch.AddSeconds(3)))
            .Check("/dev/null", type: ImageEntryType.CharDevice, mode: (UnixFileMode)0b110_110_110, owner: "0:0")
            .Check("/run/app.fifo", type: ImageEntryType.Fifo)
            .Check("/usr/bin/ping", type: ImageEntryType.File, mode: (UnixFileMode)0b100_111_101_101, size: 5, contains: "ping")
            .Check("/usr/bin/ping6", type: ImageEntryType.Symlink, target: "ping")
            .Check(@"/data/caf\xE9", exists: true)
            .Check("/srv/app", type: ImageEntryType.Directory, exists: true)
            .Config(c => c.User("1000:1000"))
            .CheckConfig(user: "1000:1000")
            .Build();
    }

    /// <summary>The golden fixture's folder: host files to copy, a rootfs tar, a gzipped tar to extract.</summary>
    public static string Fixture => Path.Combine(GoldenImages.GoldenFolder, "every-entry-kind");

    /// <summary>The file of <see cref="EveryKind"/> in the docker layout, a base for <see cref="OnImageArchive"/>.</summary>
    public const string DockerBase = "every-kind-docker.tar";

    /// <summary>The file of <see cref="EveryKind"/> in the OCI layout, a base for <see cref="OnOciLayout"/>.</summary>
    public const string OciBase = "every-kind-oci.tar";

    public static async Task WriteBasesAsync(string bases)
    {
        var recipe = EveryKindCode(Fixture);
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, Path.Combine(bases, DockerBase)));
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, Path.Combine(bases, OciBase)) with { Format = ArchiveFormat.Oci });
    }

    private const string EveryKindYaml = """
        image: fixtures/every-kind
        tags: ["1.0", latest, "1.0"]
        platform: linux/arm64/v8
        created: "2024-06-30T12:00:00+02:00"
        defaults: { owner: "0:0", dirMode: "0750", fileMode: "0600" }
        config:
          entrypoint: ["/srv/app/run.sh", "--serve"]
          cmd: ["--port", "8080"]
          env: { MODE: test, PATH: "/usr/local/bin:/usr/bin:/bin" }
          workdir: /srv
          user: "app:app"
          labels: { org.opencontainers.image.version: "1.0", org.example.fixture: every-kind }
          annotations: { org.opencontainers.image.title: every-kind, org.example.note: "built twice" }
          ports: ["8080/tcp", "53/udp", "9090"]
          volumes: ["/data", "/srv/cache"]
          stopSignal: SIGQUIT
          healthcheck: { test: ["CMD", "/srv/app/run.sh", "--ping"], interval: 30s, timeout: 5s, startPeriod: 1m30s, startInterval: 500ms, retries: 3 }
        steps:
          - name: accounts
            files:
              - { path: /etc/passwd, content: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n", mode: "0644" }
              - { path: /etc/group, content: "root:x:0:\napp:x:1000:\n", mode: "0644" }
          - name: entries
            files:
              - { path: /srv/plain.txt, content: "plain\n" }
              - { path: /srv/owned.txt, content: "owned by app\n", owner: "app:app", mode: "0640" }
              - { path: /srv/blob.bin, base64: AAECAwQFBgcICQ==, mode: "4755" }
              - { path: /srv/old.txt, content: "to be removed\n", owner: "1000" }
              - { path: /srv/./nested/../empty.txt, content: "" }
            dirs:
              - { path: /data, mode: "0770", owner: "1000:1000" }
              - { path: /tmp, mode: "1777" }
              - { path: /srv/shared, owner: app }
            symlinks:
              - { path: /srv/link-relative, target: plain.txt }
              - { path: /srv/link-absolute, target: /srv/blob.bin, owner: app }
            hardlinks:
              - { path: /srv/plain-again.txt, target: /srv/plain.txt }
          - name: host files
            copy:
              - { src: app/, dest: /srv/app/, include: ["**/*.json", "*.sh"], exclude: "data/skip*", owner: "app:app", dirMode: "0755" }
              - { src: app/data/, dest: /srv/data/, exclude: ["**/*.json"], mode: "0444", owner: "1000:1000" }
              - { src: app/run.sh, dest: /usr/local/bin/run, preserveMode: true }
              - { src: "app/data/*.txt", dest: /srv/text/ }
            hardlinks:
              - { path: /srv/blob-again.bin, target: /srv/blob.bin }
          - name: vendor tarball
            extract:
              - { src: vendor.tar.gz, dest: /opt/vendor }
          - name: cleanup
            remove:
              - /srv/old.txt
              - /opt/vendor/share/**
        """;

    private static BuildRecipe EveryKindCode(string fixture) =>
        RecipeBuilder.FromScratch("fixtures/every-kind")
            .BaseDirectory(fixture)
            .Tags("1.0", "latest", "1.0")
            .Platform("linux/arm64/v8")
            .Created(new DateTimeOffset(2024, 6, 30, 12, 0, 0, TimeSpan.FromHours(2)))
            .Defaults(owner: EntryOwner.Ids(0, 0), dirMode: (UnixFileMode)0b111_101_000, fileMode: UnixFileMode.UserRead | UnixFileMode.UserWrite)
            .Config(c => c
                .Entrypoint("/srv/app/run.sh", "--serve")
                .Cmd("--port", "8080")
                .Env("MODE", "test")
                .Env("PATH", "/usr/local/bin:/usr/bin:/bin")
                .Workdir("/srv")
                .User(EntryOwner.Names("app", "app"))
                .Label("org.opencontainers.image.version", "1.0")
                .Label("org.example.fixture", "every-kind")
                .Annotation("org.opencontainers.image.title", "every-kind")
                .Annotation("org.example.note", "built twice")
                .Port("8080/tcp")
                .Port("53/udp")
                .Port(9090)
                .Volume("/data")
                .Volume("/srv/cache")
                .StopSignal("SIGQUIT")
                .Healthcheck(
                    ["CMD", "/srv/app/run.sh", "--ping"],
                    interval: TimeSpan.FromSeconds(30),
                    timeout: TimeSpan.FromSeconds(5),
                    startPeriod: TimeSpan.FromSeconds(90),
                    startInterval: TimeSpan.FromMilliseconds(500),
                    retries: 3))
            .Step("accounts", s => s
                .File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n", mode: Mode644)
                .File("/etc/group", "root:x:0:\napp:x:1000:\n", mode: Mode644))
            .Step("entries", s => s
                .File("/srv/plain.txt", "plain\n")
                .File("/srv/owned.txt", "owned by app\n", mode: (UnixFileMode)0b110_100_000, owner: "app:app")
                .File("/srv/blob.bin", new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, mode: UnixFileMode.SetUser | (UnixFileMode)0b111_101_101)
                .File("/srv/old.txt", "to be removed\n", owner: "1000")
                .File("/srv/./nested/../empty.txt", "")
                .Dir("/data", mode: (UnixFileMode)0b111_111_000, owner: EntryOwner.Ids(1000, 1000))
                .Dir("/tmp", mode: UnixFileMode.StickyBit | (UnixFileMode)0b111_111_111)
                .Dir("/srv/shared", owner: EntryOwner.Names("app"))
                .Symlink("/srv/link-relative", "plain.txt")
                .Symlink("/srv/link-absolute", "/srv/blob.bin", owner: "app")
                .Hardlink("/srv/plain-again.txt", "/srv/plain.txt"))
            .Step("host files", s => s
                .Copy("app/", "/srv/app/", include: ["**/*.json", "*.sh"], exclude: ["data/skip*"], owner: "app:app", dirMode: (UnixFileMode)0b111_101_101)
                .Copy("app/data/", "/srv/data/", exclude: ["**/*.json"], mode: (UnixFileMode)0b100_100_100, owner: EntryOwner.Ids(1000, 1000))
                .Copy("app/run.sh", "/usr/local/bin/run", preserveMode: true)
                .Copy("app/data/*.txt", "/srv/text/")
                .Hardlink("/srv/blob-again.bin", "/srv/blob.bin"))
            .Step("vendor tarball", s => s.Extract("vendor.tar.gz", "/opt/vendor"))
            .Step("cleanup", s => s.Remove("/srv/old.txt", "/opt/vendor/share/**"))
            .Build();

    /// <summary>The code form of tests/golden/every-entry-kind/layerbuild.yml.</summary>
    private static BuildRecipe RootfsCode(string fixture) =>
        RecipeBuilder.FromRootfs("golden/every-entry-kind", "base.tar")
            .BaseDirectory(fixture)
            .Tags("1.0")
            .Created(DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture))
            .Defaults(owner: "0:0", dirMode: (UnixFileMode)0b111_101_101, fileMode: Mode644)
            .Config(c => c
                .Entrypoint("/bin/tool")
                .Cmd("--golden")
                .Env("FIXTURE", "every-entry-kind")
                .Workdir("/srv")
                .User("app:app")
                .Label("org.example.fixture", "every-entry-kind")
                .Port("8080/tcp")
                .Port("53/udp")
                .Volume("/data")
                .StopSignal("SIGTERM")
                .Healthcheck(["CMD", "/bin/tool"], interval: TimeSpan.FromSeconds(30), timeout: TimeSpan.FromSeconds(5), retries: 3))
            .Step("files, folders and links", s => s
                .File("/srv/plain.txt", "plain\n")
                .File("/srv/owned.txt", "owned by app\n", owner: "app:app", mode: (UnixFileMode)0b110_100_000)
                .File("/srv/blob.bin", Convert.FromBase64String("AAECAwQFBgcICQ=="))
                .File("/usr/local/bin/setuid-tool", "#!/bin/sh\n", mode: UnixFileMode.SetUser | (UnixFileMode)0b111_101_101)
                .File("/usr/local/bin/setgid-tool", "#!/bin/sh\n", mode: UnixFileMode.SetGroup | (UnixFileMode)0b111_101_101, owner: EntryOwner.Ids(0, 1000))
                .File("/srv/a-folder-with-a-name-longer-than-one-hundred-bytes/so-the-header-needs-more-than-the-plain-name-field.txt", "long\n")
                .Dir("/data", mode: (UnixFileMode)0b111_111_000, owner: "1000:1000")
                .Dir("/srv/shared", mode: UnixFileMode.StickyBit | (UnixFileMode)0b111_111_111)
                .Symlink("/srv/link-relative", "plain.txt")
                .Symlink("/srv/link-absolute", "/bin/tool", owner: "1000:1000")
                .Symlink("/srv/dangling", "/does/not/exist")
                .Hardlink("/srv/plain-again.txt", "/srv/plain.txt")
                .Hardlink("/srv/tool-again", "/bin/tool"))
            .Step("host files", s => s
                .Copy("app/", "/srv/app/")
                .Copy("app/run.sh", "/usr/local/bin/run", mode: (UnixFileMode)0b111_101_000, owner: "app:app"))
            .Step("vendor tarball", s => s.Extract("vendor.tar.gz", "/opt/vendor"))
            .Step("cleanup", s => s.Remove("/usr/share/doc", "/var/cache/pkg/**"))
            .Build();

    private const string OnImageArchiveYaml = $$"""
        image: localhost:5000/fixtures/on-image
        tags: "2.0"
        base: { image: {{DockerBase}}, ref: "fixtures/every-kind:1.0" }
        config:
          entrypoint: exec /srv/app/run.sh
          env: { MODE: production, EXTRA: "1" }
          user: app
          labels: { org.example.layer: top }
          ports: ["9443"]
          volumes: [/srv/uploads]
          healthcheck: { test: "/srv/app/run.sh --ping", retries: 5 }
        steps:
          - name: on top
            files: [{ path: /srv/top.txt, content: "top\n", owner: app }]
            remove: [/srv/plain-again.txt]
        """;

    private static BuildRecipe OnImageArchiveCode(string bases) =>
        RecipeBuilder.FromImageArchive("localhost:5000/fixtures/on-image", DockerBase, "fixtures/every-kind:1.0")
            .BaseDirectory(bases)
            .Tags("2.0")
            .Config(c => c
                .EntrypointShell("exec /srv/app/run.sh")
                .Env("MODE", "production")
                .Env("EXTRA", "1")
                .User("app")
                .Label("org.example.layer", "top")
                .Port("9443")
                .Volume("/srv/uploads")
                .HealthcheckShell("/srv/app/run.sh --ping", retries: 5))
            .Step("on top", s => s
                .File("/srv/top.txt", "top\n", owner: "app")
                .Remove("/srv/plain-again.txt"))
            .Build();

    private const string OnOciLayoutYaml = $$"""
        image: fixtures/on-layout
        platform: linux/arm64/v8
        created: "2025-02-03T04:05:06.5Z"
        base: { layout: {{OciBase}} }
        config:
          cmd: run --now
          stopSignal: "15"
          healthcheck: { test: ["NONE"] }
        steps:
          - dirs: [{ path: /srv/more }]
          - files: [{ path: /srv/more/one.txt, content: "1\n" }]
        """;

    private static BuildRecipe OnOciLayoutCode(string bases) =>
        RecipeBuilder.FromOciLayout("fixtures/on-layout", Path.Combine(bases, OciBase))
            .Platform("linux/arm64/v8")
            .Created(new DateTimeOffset(2025, 2, 3, 4, 5, 6, 500, TimeSpan.Zero))
            .Config(c => c.CmdShell("run --now").StopSignal("15").Healthcheck(["NONE"]))
            .Step(s => s.Dir("/srv/more"))
            .Step(s => s.File("/srv/more/one.txt", "1\n"))
            .Build();

    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
}

/// <summary>One recipe in its two forms; <paramref name="Layers"/> is how many layers the image has.</summary>
public sealed record RecipePair(string Name, string Yaml, string BaseDirectory, Func<BuildRecipe> Code, int Layers)
{
    public BuildRecipe ParseYaml() => RecipeParser.Parse(Yaml, "layerbuild.yml", BaseDirectory);

    public override string ToString() => Name;
}
