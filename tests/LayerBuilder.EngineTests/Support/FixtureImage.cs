using System.Globalization;
using System.Runtime.InteropServices;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests.Support;

/// <summary>How the busybox root filesystem is handed to the recipe.</summary>
public enum RootfsKind
{
    /// <summary><c>base: { rootfs: folder }</c></summary>
    Folder,

    /// <summary><c>base: { rootfs: x.tar.gz }</c> made by <c>tar -czf x.tar.gz -C folder .</c>: <c>./</c>
    /// prefixes and a root entry, as most hand-made rootfs tars have.</summary>
    TarGz,
}

/// <summary>
/// The image every engine test loads: a busybox root filesystem, then one step that exercises every
/// kind of entry a recipe can write (copy with include/exclude/mode/dirMode/owner/preserveMode, files
/// in text and base64, dirs, symlinks, hard links in the step and to a lower layer) and one step that
/// removes lower paths and makes a folder opaque. <see cref="ExpectedImage"/> says what must come out.
/// </summary>
public sealed class FixtureImage
{
    public const string Created = "2024-01-01T00:00:00Z";

    private FixtureImage(string name, IReadOnlyList<string> tags, string archivePath, BuildResult result, ExpectedImage expected, string recipePath)
    {
        RecipePath = recipePath;
        Name = name;
        Tags = tags;
        ArchivePath = archivePath;
        Result = result;
        Expected = expected;
    }

    /// <summary>The repository, e.g. <c>lbe-test/docker-3f2a…</c>; unique per build.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public string ArchivePath { get; }

    /// <summary>The recipe file, beside the sources it copies: a test builds it again from here.</summary>
    public string RecipePath { get; }

    public BuildResult Result { get; }

    public ExpectedImage Expected { get; }

    /// <summary><c>name:tag</c> for each tag, as docker and manifest.json spell them.</summary>
    public IEnumerable<string> References => Tags.Select(t => $"{Name}:{t}");

    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"no fixture platform for {other}"),
    };

    /// <param name="work"></param>

    /// <param name="purpose"></param>
    /// <param name="format"></param>
    /// <param name="rootfs"></param>    /// <param name="compression">Layer blob compression (the oci format only).</param>
    /// <param name="tags">Default: 1.0 and latest.</param>
    /// <param name="gzipArchive">Name the output .tar.gz, which gzips the whole archive.</param>
    /// <param name="request">Makes the request from the recipe and the archive path (a load, a push);
    /// default: the archive in <paramref name="format"/> with <paramref name="compression"/>.</param>
    /// <param name="repository">The repository the image is named in, before its unique name.</param>
    public static async Task<FixtureImage> BuildAsync(TempFolder work, string purpose, ArchiveFormat format,
        RootfsKind rootfs = RootfsKind.Folder, LayerCompression compression = LayerCompression.None, string[]? tags = null, bool gzipArchive = false,
        Func<BuildRecipe, string, BuildRequest>? request = null, string repository = "lbe-test")
    {
        tags ??= ["1.0", "latest"];
        var busybox = Engines.StaticBusybox();
        var name = $"{repository}/{purpose}-{Guid.NewGuid():N}"[..^20];

        var rootfsFolder = work.Combine("rootfs");
        await WriteRootfsAsync(rootfsFolder, busybox);
        var baseOwner = await OwnerOfAsync(busybox, rootfsFolder);
        var rootfsPath = rootfsFolder;
        if (rootfs == RootfsKind.TarGz)
        {
            rootfsPath = work.Combine("rootfs.tar.gz");
            await ProcessRunner.RunCheckedAsync("tar", ["-czf", rootfsPath, "-C", rootfsFolder, "."]);
        }

        var context = work.Combine("context");
        await WriteCopySourcesAsync(context, busybox);
        var recipeFile = Path.Combine(context, "layerbuild.yml");
        await File.WriteAllTextAsync(recipeFile, Recipe(name, tags, rootfsPath));

        var output = work.Combine("out", (format == ArchiveFormat.Oci ? "image-oci.tar" : "image-docker.tar") + (gzipArchive ? ".gz" : ""));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var recipe = RecipeParser.ParseFile(recipeFile);
        var result = await ImageBuilder.BuildAsync(request?.Invoke(recipe, output) ?? new BuildRequest(recipe, output) { Format = format, Compression = compression });
        return new FixtureImage(name, tags, output, result, ExpectedImage.For(baseOwner), recipeFile);
    }

    private static string Recipe(string name, IReadOnlyList<string> tags, string rootfs) => $$"""
        image: {{name}}
        tags: [{{string.Join(", ", tags.Select(t => $"\"{t}\""))}}]
        platform: linux/{{Architecture}}
        created: "{{Created}}"
        base: { rootfs: "{{rootfs}}" }
        config:
          env: { GREETING: "hello from layerbuilder", PATH: "/usr/local/bin:/usr/bin:/bin" }
          entrypoint: ["/app/bin/run"]
          cmd: ["from-cmd", "second arg"]
          workdir: /app
          user: "1000:1000"
          ports: ["8080/tcp", "53/udp", "9090"]
          volumes: ["/data"]
          labels: { {{DockerEngine.TestLabel}}: engine, org.opencontainers.image.version: "1.2.3" }
          annotations: { org.opencontainers.image.title: engine-fixture }
          stopSignal: SIGINT
          healthcheck: { test: ["CMD", "/bin/cat", "/etc/app/config.ini"], interval: 30s, timeout: 5s, startPeriod: 10s, retries: 3 }
        steps:
          - name: app
            copy:
              - src: app/
                dest: /app/
                include: ["**"]
                exclude: ["**/*.pdb", "cache"]
                dirMode: "0750"
                owner: "1000:1000"
              - src: tools/
                dest: /usr/local/bin/
                include: ["*.sh"]
                mode: "0750"
              - src: perms/
                dest: /perms
                preserveMode: true
            files:
              - path: /app/bin/run
                mode: "0755"
                content: |
                  #!/bin/sh
                  echo "run-ok $*"
                  echo "user=$(/bin/busybox id -u):$(/bin/busybox id -g)"
                  echo "pwd=$(pwd)"
                  echo "greeting=$GREETING"
              - path: /etc/app/config.ini
                mode: "0640"
                owner: "0:1000"
                content: |
                  greeting=Hello
                  name=layerbuilder
              - path: /etc/app/blob.bin
                mode: "0600"
                owner: "1000:1000"
                base64: {{Convert.ToBase64String(ExpectedImage.BlobBytes)}}
              - path: /etc/app/empty
                content: ""
              - path: /usr/local/bin/suid-tool
                mode: "4755"
                content: "#!/bin/sh\necho suid-ok\n"
              - path: "{{ExpectedImage.LongPath}}"
                content: "long\n"
              - path: "/etc/i18n/{{ExpectedImage.Utf8Name}}"
                content: "{{ExpectedImage.Utf8Name}}\n"
            dirs:
              - { path: /tmp, mode: "1777" }
              - { path: /home/app, mode: "0700", owner: "1000:1000" }
              - { path: /data, mode: "0775", owner: "1000:1000" }
            symlinks:
              - { path: /usr/bin/greet, target: /app/bin/run }
              - { path: /etc/app/current.ini, target: config.ini }
              - { path: /app/dangling, target: /nonexistent/target }
              - { path: /opt/long-link, target: "{{ExpectedImage.LongLinkTarget}}" }
            hardlinks:
              - { path: /etc/app/config-hard.ini, target: /etc/app/config.ini }
              - { path: /etc/base-release-hard, target: /etc/base-release }
            extract:
              - { src: tools.tar.gz, dest: /opt/tools }
          - name: cleanup
            remove:
              - /etc/obsolete.conf
              - /usr/share/doc
              - /opt/legacy
            files:
              - path: /opt/legacy/new.txt
                content: "new\n"
        """;

    /// <summary>The base: busybox and a few lower files and folders for the steps to link, remove and hide.</summary>
    internal static async Task WriteRootfsAsync(string root, string busybox)
    {
        Folder(root, "0755");
        Folder(Path.Combine(root, "bin"), "0755");
        File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), Mode("0755"));
        foreach (var applet in ExpectedImage.Applets)
        {
            File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
        }

        Folder(Path.Combine(root, "etc"), "0755");
        // Unique per build, so no engine can already hold any layer of this image (they all chain on
        // this one): every load registers, and so verifies, every layer.
        await Text(Path.Combine(root, "etc", "build-id"), $"{Guid.NewGuid():N}\n", "0644");
        await Text(Path.Combine(root, "etc", "base-release"), "base-release 1\n", "0644");
        await Text(Path.Combine(root, "etc", "obsolete.conf"), "obsolete\n", "0644");
        Folder(Path.Combine(root, "opt"), "0755");
        Folder(Path.Combine(root, "opt", "legacy"), "0755");
        await Text(Path.Combine(root, "opt", "legacy", "old.txt"), "old\n", "0644");
        Folder(Path.Combine(root, "opt", "legacy", "sub"), "0755");
        await Text(Path.Combine(root, "opt", "legacy", "sub", "older.txt"), "older\n", "0644");
        Folder(Path.Combine(root, "usr"), "0755");
        Folder(Path.Combine(root, "usr", "bin"), "0755");
        Folder(Path.Combine(root, "usr", "share"), "0755");
        Folder(Path.Combine(root, "usr", "share", "doc"), "0755");
        Folder(Path.Combine(root, "usr", "share", "doc", "busybox"), "0755");
        await Text(Path.Combine(root, "usr", "share", "doc", "busybox", "README"), "doc\n", "0644");
    }

    /// <summary>The host folders the step copies; host modes are set explicitly so umask cannot matter.</summary>
    private static async Task WriteCopySourcesAsync(string context, string busybox)
    {
        Folder(context, "0755");

        var app = Path.Combine(context, "app");
        Folder(app, "0755");
        await Text(Path.Combine(app, "run.sh"), "#!/bin/sh\necho run-sh-ok\n", "0700"); // executable, so 0755
        await Text(Path.Combine(app, "data.txt"), "data\n", "0600"); // not executable, so 0644
        await ProcessRunner.RunCheckedAsync(busybox, ["ln", Path.Combine(app, "data.txt"), Path.Combine(app, "data-link.txt")]);
        File.CreateSymbolicLink(Path.Combine(app, "current"), "data.txt");
        await Text(Path.Combine(app, "app.pdb"), "excluded\n", "0644");
        Folder(Path.Combine(app, "sub"), "0700");
        await Text(Path.Combine(app, "sub", "deep.txt"), "deep\n", "0640"); // becomes 0644
        await Text(Path.Combine(app, "sub", "deep.pdb"), "excluded\n", "0644");
        Folder(Path.Combine(app, "cache"), "0755");
        await Text(Path.Combine(app, "cache", "tmp.bin"), "excluded\n", "0644");

        var tools = Path.Combine(context, "tools");
        Folder(tools, "0755");
        await Text(Path.Combine(tools, "tool.sh"), "#!/bin/sh\necho tool-ok\n", "0644"); // mode: 0750 wins
        await Text(Path.Combine(tools, "README.md"), "not included\n", "0644");

        var perms = Path.Combine(context, "perms");
        Folder(perms, "0710");
        await Text(Path.Combine(perms, "exact.sh"), "#!/bin/sh\necho exact-ok\n", "0751");
        await Text(Path.Combine(perms, "private.txt"), "private\n", "0640");
        Folder(Path.Combine(perms, "inner"), "0750");
        await Text(Path.Combine(perms, "inner", "x.txt"), "x\n", "0604");

        // An archive for the extract step; its entries keep their own modes and (numeric) owners.
        var archive = Path.Combine(context, "archive");
        Folder(archive, "0755");
        Folder(Path.Combine(archive, "bin"), "0755");
        await Text(Path.Combine(archive, "bin", "hello.sh"), "#!/bin/sh\necho extracted-ok\n", "0750");
        Folder(Path.Combine(archive, "share"), "0755");
        await Text(Path.Combine(archive, "share", "readme.txt"), "readme\n", "0444");
        await ProcessRunner.RunCheckedAsync(busybox, ["ln", Path.Combine(archive, "share", "readme.txt"), Path.Combine(archive, "share", "readme-hard.txt")]);
        File.CreateSymbolicLink(Path.Combine(archive, "share", "link"), "readme.txt");
        await ProcessRunner.RunCheckedAsync("tar",
        [
            "--owner", ExpectedImage.ArchiveOwner.Uid.ToString(CultureInfo.InvariantCulture),
            "--group", ExpectedImage.ArchiveOwner.Gid.ToString(CultureInfo.InvariantCulture),
            "--numeric-owner", "-czf", Path.Combine(context, "tools.tar.gz"), "-C", archive, ".",
        ]);
    }

    private static async Task<(int Uid, int Gid)> OwnerOfAsync(string busybox, string path)
    {
        var stat = await ProcessRunner.RunCheckedAsync(busybox, ["stat", "-c", "%u %g", path]);
        var parts = stat.StandardOutput.Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static void Folder(string path, string mode)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, Mode(mode));
    }

    private static async Task Text(string path, string content, string mode)
    {
        await File.WriteAllTextAsync(path, content);
        File.SetUnixFileMode(path, Mode(mode));
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
