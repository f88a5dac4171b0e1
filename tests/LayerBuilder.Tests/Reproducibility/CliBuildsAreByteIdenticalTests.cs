using System.Security.Cryptography;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Reproducibility;

/// <summary>
/// The same recipe and the same source bytes give the same archive, byte for byte, from separate CLI
/// processes that differ in time zone, locale, umask, source mtimes, modes and on-disk order.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class CliBuildsAreByteIdenticalTests
{
    private static readonly Dictionary<string, string?> Utc = new()
    {
        ["TZ"] = "UTC",
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
    };

    private static readonly Dictionary<string, string?> Kiritimati = new()
    {
        ["TZ"] = "Pacific/Kiritimati",
        ["LANG"] = "tr_TR.UTF-8",
        ["LC_ALL"] = "tr_TR.UTF-8",
    };

    private TempDirectory temp = null!;
    private string tidy = "";
    private string scrambled = "";

    [OneTimeSetUp]
    public void CreateTwoCheckouts()
    {
        temp = new TempDirectory();
        tidy = temp.CreateFolder("tidy");
        scrambled = temp.CreateFolder("scrambled");
        ReproducibleWorkspace.Create(tidy, SourceTreeVariant.Tidy);
        ReproducibleWorkspace.Create(scrambled, SourceTreeVariant.Scrambled);
    }

    [OneTimeTearDown]
    public void CleanUp() => temp.Dispose();

    [TestCase("docker")]
    [TestCase("oci")]
    public void Two_builds_in_different_environments_write_identical_bytes(string format)
    {
        var first = temp.Combine("out-utc", $"repro-{format}.tar");
        var second = temp.Combine("out-kiritimati", $"repro-{format}.tar");

        var a = LayerBuilderCli.Run(["layerbuild.yml", "-o", first, "--format", format], tidy, Utc, umask: "022");
        var b = LayerBuilderCli.Run(["layerbuild.yml", "-o", second, "--format", format], scrambled, Kiritimati, umask: "077");

        Assert.That(a.ExitCode, Is.Zero, a.Transcript);
        Assert.That(b.ExitCode, Is.Zero, b.Transcript);
        Assert.That(File.GetUnixFileMode(first) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead), "umask 022 reached the first build");
        Assert.That(File.GetUnixFileMode(second) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead), Is.EqualTo(UnixFileMode.None), "umask 077 reached the second build");
        var bytesA = File.ReadAllBytes(first);
        var bytesB = File.ReadAllBytes(second);
        Assert.That(bytesB, Is.EqualTo(bytesA), () => Difference(first, second));
        Assert.That(b.StdOut.Split('\n').Where(l => l.StartsWith("Image id:", StringComparison.Ordinal)),
            Is.EqualTo(a.StdOut.Split('\n').Where(l => l.StartsWith("Image id:", StringComparison.Ordinal))));
    }

    [Test]
    public void The_two_checkouts_differ_in_order_modes_and_times_but_not_in_content()
    {
        var tidyFiles = Directory.GetFiles(Path.Combine(tidy, "src"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tidy, f)).Order(StringComparer.Ordinal).ToList();

        Assert.That(Directory.GetFiles(Path.Combine(scrambled, "src"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(scrambled, f)),
            Is.EquivalentTo(tidyFiles));
        foreach (var file in tidyFiles.Where(f => !f.EndsWith("link", StringComparison.Ordinal)))
        {
            var x = Path.Combine(tidy, file);
            var y = Path.Combine(scrambled, file);
            Assert.That(File.ReadAllBytes(y), Is.EqualTo(File.ReadAllBytes(x)), file);
            Assert.That(File.GetUnixFileMode(y), Is.Not.EqualTo(File.GetUnixFileMode(x)), file);
            Assert.That(File.GetLastWriteTimeUtc(y), Is.Not.EqualTo(File.GetLastWriteTimeUtc(x)), file);
        }
    }

    [Test]
    public void The_builds_compared_carry_every_tricky_source_entry()
    {
        var output = temp.Combine("out-check", "repro.tar");
        var run = LayerBuilderCli.Run(["layerbuild.yml", "-o", output], scrambled, Kiritimati, umask: "077");
        Assert.That(run.ExitCode, Is.Zero, run.Transcript);

        var app = ImageArchive.Read(output).Layer(0).ToDictionary(m => m.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(app.Keys, Does.Contain("app/" + ReproducibleWorkspace.LongPath));
            Assert.That(app.Keys, Does.Contain("app/empty/"));
            Assert.That(app.Keys, Does.Contain("app/names/\u0130.txt"));
            Assert.That(app["app/lib/b.txt"].IsHardLink, Is.True);
            Assert.That(app["app/lib/b.txt"].LinkName, Is.EqualTo("app/lib/a.txt"));
            Assert.That(app["app/lib/link"].LinkName, Is.EqualTo("a.txt"));
            Assert.That(app["app/bin/run"].Mode, Is.EqualTo(0x1ED), "0700 on the host is 0755 in the image");
            Assert.That(app["app/lib/a.txt"].Mode, Is.EqualTo(0x1A4), "0600 on the host is 0644 in the image");
            Assert.That(app["app/names/"].Mode, Is.EqualTo(0x1ED), "0700 folders are 0755 in the image");
        }
    }

    /// <summary>Which members differ, so a failure says where reproducibility broke.</summary>
    private static string Difference(string first, string second)
    {
        var a = TarMembers.ReadFile(first);
        var b = TarMembers.ReadFile(second);
        var lines = new List<string> { $"{first} ({a.Count} members) and {second} ({b.Count} members) differ:" };
        foreach (var (x, y) in a.Zip(b))
        {
            if (x.Name != y.Name || !x.Content.AsSpan().SequenceEqual(y.Content) || x.ModifiedSeconds != y.ModifiedSeconds || x.Mode != y.Mode)
            {
                lines.Add($"  {x.Name} sha256:{Convert.ToHexStringLower(SHA256.HashData(x.Content))} vs {y.Name} sha256:{Convert.ToHexStringLower(SHA256.HashData(y.Content))}");
            }
        }

        return string.Join("\n", lines);
    }
}
