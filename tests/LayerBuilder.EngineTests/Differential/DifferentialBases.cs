using LayerBuilder.Build;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests.Differential;

/// <summary>
/// The bases every scenario shares, built once by LayerBuilder and loaded into the engine, so both
/// builders start from the same bytes: the Debian minbase root filesystem (made by debootstrap, see
/// tests/Shared/DebianRootfs.cs) with a step of fixtures the scenarios aim at (links to files, a dangling
/// and a climbing link, a link to a folder, folders with unusual modes and owners), and a busybox root
/// filesystem with a shell for <c>RUN rm -rf</c>.
/// </summary>
public sealed class DifferentialBases(string debianArchive, string busyboxArchive)
{
    public const string DebianReference = "lbdiff-base/debian:1";
    public const string BusyboxReference = "lbdiff-base/busybox:1";

    public string DebianArchive => debianArchive;

    public string BusyboxArchive => busyboxArchive;

    public static async Task<DifferentialBases> BuildAsync(TempFolder work, DockerEngine docker)
    {
        var debianRootfs = await DebianRootfs.GetAsync("bookworm");
        var debian = await BuildAsync(work, "debian", $$"""
            image: lbdiff-base/debian
            tags: ["1"]
            base: { rootfs: "{{debianRootfs}}" }
            steps:
              - name: fixtures
                files:
                  - { path: /usr/share/lbdiff/target.txt, content: "target\n" }
                symlinks:
                  - { path: /etc/lbdiff-abs, target: /usr/share/lbdiff/target.txt }
                  - { path: /etc/lbdiff-rel, target: ../usr/share/lbdiff/target.txt }
                  - { path: /etc/lbdiff-dangling, target: /opt/created-through-link }
                  - { path: /etc/lbdiff-climbing, target: ../../../../usr/share/lbdiff/climbed.txt }
                  - { path: /srv/odd-link, target: /srv/odd }
                dirs:
                  - { path: /srv/odd, mode: "2770", owner: "1000:50" }
                  - { path: /srv/sticky, mode: "1777" }
                  - { path: /srv/private, mode: "0700", owner: "1000:1000" }
            """);

        var rootfs = work.Combine("busybox-rootfs");
        var context = new ScenarioContext(rootfs)
            .Folder("bin", "0755")
            .Folder("etc", "0755")
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n")
            .File("etc/group", "root:x:0:\napp:x:1000:\n")
            .File("etc/obsolete.conf", "obsolete\n")
            .Folder("opt", "0755")
            .Folder("opt/legacy", "0755")
            .File("opt/legacy/old.txt", "old\n")
            .Folder("tmp", "1777");
        File.Copy(Engines.StaticBusybox(), Path.Combine(rootfs, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(rootfs, "bin", "busybox"), ScenarioContext.Mode("0755"));
        foreach (var applet in new[] { "sh", "rm", "ls", "true" })
        {
            context.Symlink($"bin/{applet}", "busybox");
        }

        context.Finish();
        var busybox = await BuildAsync(work, "busybox", $$"""
            image: lbdiff-base/busybox
            tags: ["1"]
            base: { rootfs: "{{rootfs}}" }
            """);

        await docker.RunCheckedAsync("load", "-i", debian);
        await docker.RunCheckedAsync("load", "-i", busybox);
        return new DifferentialBases(debian, busybox);
    }

    public string Reference(ScenarioBase kind) => kind switch
    {
        ScenarioBase.Debian => DebianReference,
        ScenarioBase.Busybox => BusyboxReference,
        _ => "scratch",
    };

    public string? Archive(ScenarioBase kind) => kind switch
    {
        ScenarioBase.Debian => DebianArchive,
        ScenarioBase.Busybox => BusyboxArchive,
        _ => null,
    };

    private static async Task<string> BuildAsync(TempFolder work, string name, string yaml)
    {
        var folder = Directory.CreateDirectory(work.Combine("bases", name)).FullName;
        var recipe = Path.Combine(folder, "layerbuild.yml");
        await File.WriteAllTextAsync(recipe, yaml);
        var output = Path.Combine(folder, $"{name}.tar");
        await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(recipe), output));
        return output;
    }
}
