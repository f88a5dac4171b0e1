using System.Formats.Tar;
using System.Text;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// An image built for the reader tests: a rootfs base with a device and an xattr, a step with setuid,
/// setgid and sticky modes, an owner, a symlink and a hard link, and a step that removes a base file
/// (a whiteout); every config field the reader parses is set.
/// </summary>
internal sealed class ReaderFixture : IDisposable
{
    public const string Recipe = """
        image: example/reader
        tags: ["1.0", latest]
        platform: linux/arm64/v8
        created: "2024-05-06T07:08:09Z"
        base: { rootfs: rootfs.tar }
        config:
          entrypoint: ["/app/run"]
          cmd: ["--serve"]
          env: { MODE: read }
          user: "1000:1000"
          workdir: /app
          labels: { org.example.kind: reader }
          ports: ["8080/tcp"]
          volumes: ["/data"]
        steps:
          - name: app
            files:
              - { path: /app/run, content: "#!/bin/sh\necho run\n", mode: "4755", owner: "1000:1000" }
              - { path: /app/shared, content: "group\n", mode: "2750" }
            dirs:
              - { path: /tmp, mode: "1777" }
            symlinks:
              - { path: /usr/bin/run, target: /app/run }
            hardlinks:
              - { path: /app/run-again, target: /app/run }
          - name: cleanup
            remove: [/etc/old.conf]
        """;

    public static readonly DateTimeOffset Created = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly TempDirectory folder = new();

    private ReaderFixture()
    {
    }

    public string Folder => folder.Path;

    public static ReaderFixture Create()
    {
        var fixture = new ReaderFixture();
        using var output = File.Create(fixture.folder.Combine("rootfs.tar"));
        using (var tar = new TarWriter(output, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dev/") { Mode = (UnixFileMode)0x1ED, ModificationTime = RootfsTar.DefaultTime });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { Mode = (UnixFileMode)0x1B6, DeviceMajor = 1, DeviceMinor = 3, ModificationTime = RootfsTar.DefaultTime });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0x1ED, ModificationTime = RootfsTar.DefaultTime });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/old.conf") { Mode = (UnixFileMode)0x1A4, ModificationTime = RootfsTar.DefaultTime, DataStream = new MemoryStream("old\n"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd", new Dictionary<string, string> { ["SCHILY.xattr.user.note"] = "hello" })
            {
                Mode = (UnixFileMode)0x1A4,
                ModificationTime = RootfsTar.DefaultTime,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("root:x:0:0::/root:/bin/sh\n")),
            });
        }

        File.WriteAllText(fixture.folder.Combine("layerbuild.yml"), Recipe);
        return fixture;
    }

    /// <summary>Builds the image into <paramref name="name"/> in the fixture's folder.</summary>
    public async Task<(BuildResult Result, string Path)> BuildAsync(string name, ArchiveFormat format, LayerCompression compression = LayerCompression.None)
    {
        var output = folder.Combine("out", name);
        var recipe = RecipeParser.ParseFile(folder.Combine("layerbuild.yml"));
        var result = await ImageBuilder.BuildAsync(new BuildRequest(recipe, output) { Format = format, Compression = compression });
        return (result, output);
    }

    public void Dispose() => folder.Dispose();
}
