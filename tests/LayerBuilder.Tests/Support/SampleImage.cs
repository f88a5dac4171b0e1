using System.Formats.Tar;
using System.IO.Compression;
using LayerBuilder.Archive;
using LayerBuilder.Build;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// The images round-trip tests read back: the shipped hello example, and a richer recipe that uses a
/// rootfs base, copy with excludes and owner names, files, dirs, symlinks, hardlinks, extract, remove
/// (plain and glob) and every config key.
/// </summary>
public sealed class SampleImage : IDisposable
{
    public const string Hello = "hello";
    public const string Rich = "rich";

    /// <summary>An image of exactly one layer: the archive writes its layer in place (ArchiveLayout).</summary>
    public const string Single = "single";

    public const string SingleRecipe = """
        image: example/single
        tags: ["3.0"]
        platform: linux/amd64
        created: "2024-03-04T05:06:07Z"
        config:
          entrypoint: ["/app/hello"]
          env: { MODE: single }
          labels: { org.opencontainers.image.version: "3.0" }
          annotations: { org.opencontainers.image.title: single }
        steps:
          - name: app
            copy:
              - { src: publish/, dest: /app/ }
            files:
              - { path: /etc/single.conf, content: "one layer\n" }
        """;

    public const string RichRecipe = """
        image: registry.example.com/team/rich
        tags: ["${VERSION}", latest]
        platform: linux/amd64
        created: "2024-02-03T04:05:06Z"
        base: { rootfs: rootfs.tar }
        args: { VERSION: "2.0" }
        defaults: { owner: "0:0", dirMode: "0755", fileMode: "0644" }
        config:
          env: { APP_VERSION: "${VERSION}" }
          entrypoint: ["/app/hello"]
          cmd: ["--greet"]
          workdir: /app
          user: "app:app"
          labels: { org.opencontainers.image.version: "${VERSION}" }
          annotations: { org.opencontainers.image.title: rich }
          ports: ["8080/tcp", "53/udp"]
          volumes: ["/data"]
          stopSignal: SIGTERM
          healthcheck: { test: ["CMD", "/app/hello", "--ping"], interval: 30s, timeout: 5s, retries: 3 }
        steps:
          - name: app
            copy:
              - src: publish/
                dest: /app/
                exclude: ["**/*.pdb"]
                owner: "app:app"
            files:
              - { path: /etc/rich/rich.conf, content: "greeting=Hello ${VERSION}\n" }
            dirs:
              - { path: /data, mode: "0777", owner: "1000:1000" }
            symlinks:
              - { path: /usr/local/bin/hello, target: /app/hello }
            hardlinks:
              - { path: /app/hello-again, target: /app/hello }
          - name: tools
            extract:
              - { src: tools.tar.gz, dest: /opt/tools }
            files:
              - { path: /lib/extra.so, content: so }
          - name: cleanup
            remove:
              - /usr/share/doc
              - /var/cache/apt/**
        """;

    private readonly TempDirectory folder = new();

    private SampleImage(string name, ArchiveFormat format)
    {
        Name = name;
        Format = format;
    }

    public string Name { get; }

    public ArchiveFormat Format { get; }

    public BuildResult Result { get; private set; } = null!;

    public string ArchivePath { get; private set; } = "";

    public ImageArchive Archive { get; private set; } = null!;

    /// <summary>Tags as the recipe gives them, and the repository in both spellings.</summary>
    public IReadOnlyList<string> Tags => Name switch
    {
        Hello => ["1.0", "latest"],
        Single => ["3.0"],
        _ => ["2.0", "latest"],
    };

    public string FamiliarName => Name switch
    {
        Hello => "example/hello",
        Single => "example/single",
        _ => "registry.example.com/team/rich",
    };

    public string FullName => Name switch
    {
        Hello => "docker.io/example/hello",
        Single => "docker.io/example/single",
        _ => "registry.example.com/team/rich",
    };

    public static async Task<SampleImage> BuildAsync(string name, ArchiveFormat format)
    {
        var sample = new SampleImage(name, format);
        var recipe = name switch
        {
            Hello => RepositoryRoot.HelloRecipe,
            Single => sample.WriteSingleInputs(),
            _ => sample.WriteRichInputs(),
        };
        sample.ArchivePath = sample.folder.Combine("out", $"{name}-{format}.tar".ToLowerInvariant());
        sample.Result = await RecipeBuild.BuildFileAsync(recipe, sample.ArchivePath, format);
        sample.Archive = ImageArchive.Read(sample.ArchivePath);
        return sample;
    }

    public void Dispose() => folder.Dispose();

    private string WriteSingleInputs()
    {
        var hello = folder.WriteFile("publish/hello", "#!/bin/sh\necho hello\n");
        File.SetUnixFileMode(hello, (UnixFileMode)0x1ED);
        folder.WriteFile("publish/lib/one.dll", new string('1', 5000));
        folder.WriteFile("publish/lib/two.dll", "two");
        return folder.WriteFile("layerbuild.yml", SingleRecipe);
    }

    private string WriteRichInputs()
    {
        new RootfsTar()
            .Folder("etc/")
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n")
            .File("etc/group", "root:x:0:\napp:x:1000:\n")
            .Folder("usr/")
            .Folder("usr/lib/")
            .Symlink("lib", "usr/lib")
            .Folder("usr/share/")
            .Folder("usr/share/doc/")
            .File("usr/share/doc/README", "docs")
            .Folder("var/")
            .Folder("var/cache/")
            .Folder("var/cache/apt/")
            .File("var/cache/apt/a.bin", "a")
            .File("var/cache/apt/b.bin", "b")
            .WriteTo(folder.Combine("rootfs.tar"));

        var hello = folder.WriteFile("publish/hello", "#!/bin/sh\necho hello\n");
        File.SetUnixFileMode(hello, (UnixFileMode)0x1ED);
        folder.WriteFile("publish/hello.pdb", "symbols");
        folder.WriteFile("publish/lib/one.dll", "one");
        folder.WriteFile("publish/lib/two.dll", "two");
        File.CreateSymbolicLink(folder.Combine("publish/run"), "hello");

        using (var gz = new GZipStream(File.Create(folder.Combine("tools.tar.gz")), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz, TarEntryFormat.Ustar, leaveOpen: false))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0x1ED, ModificationTime = RootfsTar.DefaultTime });
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "bin/tool")
            {
                Mode = (UnixFileMode)0x1ED,
                Uid = 2,
                Gid = 3,
                ModificationTime = RootfsTar.DefaultTime,
                DataStream = new MemoryStream("tool"u8.ToArray()),
            });
        }

        return folder.WriteFile("layerbuild.yml", RichRecipe);
    }
}
