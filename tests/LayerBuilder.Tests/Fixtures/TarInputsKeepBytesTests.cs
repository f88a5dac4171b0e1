using System.Diagnostics;
using System.Text.Json;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fixtures;

/// <summary>
/// Tars LayerBuilder reads (a rootfs, an extract source) keep their bytes in the layers it writes
/// (docs/decisions.md D41): binary xattr values, names that are not UTF-8 in a PAX <c>path</c> record, a
/// GNU long name ('L') and a plain ustar header. The inputs are written by Python's tarfile, the output
/// read back by it: no product code on either side of the comparison.
/// </summary>
public sealed class TarInputsKeepBytesTests
{
    private const string CapabilityHex = "0100000200200000000000000000000000000000";

    /// <summary>Writes argv[1] (PAX, xattrs and a name with byte 0xE9) and argv[2] (GNU, a long name with byte 0xFF).</summary>
    private const string Writer = """
        import io, sys, tarfile
        def add(tar, name, data, pax=None):
            info = tarfile.TarInfo(name.encode("latin-1").decode("utf-8", "surrogateescape"))
            info.size, info.mode = len(data), 0o644
            if pax:
                info.pax_headers = {k: v.decode("utf-8", "surrogateescape") for k, v in pax.items()}
            tar.addfile(info, io.BytesIO(data))
        with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT, encoding="utf-8", errors="surrogateescape") as tar:
            add(tar, "bin/tool", b"tool", {"SCHILY.xattr.security.capability": bytes.fromhex("0100000200200000000000000000000000000000"),
                                           "SCHILY.xattr.user.note": b"text", "SCHILY.xattr.com.apple.quarantine": b"q"})
            add(tar, "data/caf\xe9", b"latin-1")
        with tarfile.open(sys.argv[2], "w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as tar:
            add(tar, "long/" + "x" * 120 + "\xff", b"gnu")
            add(tar, "short\xfe", b"ustar")
        """;

    [Test]
    public async Task A_rootfs_tar_and_an_extracted_tar_keep_xattr_values_and_name_bytes()
    {
        using var temp = new TempDirectory();
        var pax = temp.Combine("pax.tar");
        var gnu = temp.Combine("gnu.tar");
        Run("python3", "-c", Writer, pax, gnu);
        var recipe = RecipeBuilder.FromRootfs("fixtures/bytes", pax)
            .Step("extract", s => s.Extract(pax, "/opt/pax").Extract(gnu, "/opt/gnu"))
            .Step("link", s => s.Hardlink("/bin/tool-again", "/bin/tool"))
            .Build();
        var archive = temp.Combine("bytes.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, archive));

        var entries = IndependentReader.Entries(archive, details: true);
        JsonElement At(int layer, string nameHex) => entries.Single(e => e.GetProperty("layer").GetInt32() == layer && e.GetProperty("name_hex").GetString() == nameHex);
        static string Hex(string text) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text));
        static string Pax(JsonElement entry, string key) => entry.GetProperty("pax").TryGetProperty(key, out var v) ? v.GetString()! : "(none)";

        using (Assert.EnterMultipleScope())
        {
            var tool = At(0, Hex("bin/tool"));
            Assert.That(Pax(tool, "SCHILY.xattr.security.capability"), Is.EqualTo(CapabilityHex), "rootfs: the binary value, byte for byte");
            Assert.That(Pax(tool, "SCHILY.xattr.user.note"), Is.EqualTo(Hex("text")));
            Assert.That(Pax(tool, "SCHILY.xattr.com.apple.quarantine"), Is.EqualTo("(none)"), "outside the Linux namespaces: left out");
            Assert.That(() => At(0, Hex("data/caf") + "e9"), Throws.Nothing, "rootfs: a PAX name that is not UTF-8");
            Assert.That(Pax(At(1, Hex("opt/pax/bin/tool")), "SCHILY.xattr.security.capability"), Is.EqualTo(CapabilityHex), "extract");
            Assert.That(() => At(1, Hex("opt/pax/data/caf") + "e9"), Throws.Nothing, "extract: a PAX name");
            Assert.That(() => At(1, Hex("opt/gnu/long/" + new string('x', 120)) + "ff"), Throws.Nothing, "extract: a GNU long name");
            Assert.That(() => At(1, Hex("opt/gnu/short") + "fe"), Throws.Nothing, "extract: a ustar name");
            Assert.That(Pax(At(2, Hex("bin/tool")), "SCHILY.xattr.security.capability"), Is.EqualTo(CapabilityHex), "a copy-up for a hard link");
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr);
    }
}
