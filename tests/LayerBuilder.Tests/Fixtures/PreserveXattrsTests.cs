using System.Diagnostics;
using System.Text.Json;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fixtures;

/// <summary>
/// <c>copy</c> with <c>preserveXattrs: true</c> carries the host's extended attributes (read with
/// llistxattr/lgetxattr), binary values byte for byte, on walked files and folders and on a single file;
/// the copy's own <c>xattrs</c> win over them; without it the host's are not read (docs/recipe.md).
/// The host attributes are set by Python's os.setxattr and the layer is read by Python's tarfile.
/// </summary>
public sealed class PreserveXattrsTests
{
    [Test]
    public async Task Copied_files_and_folders_carry_the_hosts_xattrs()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("src/a.txt", "a");
        temp.WriteFile("src/sub/b.bin", "b");
        temp.WriteFile("single.txt", "s");
        SetXattr(temp.Combine("src", "a.txt"), "user.binary", "00ff10");
        SetXattr(temp.Combine("src", "sub"), "user.folder", Hex("dir"));
        SetXattr(temp.Combine("src", "sub", "b.bin"), "user.override", Hex("host"));
        SetXattr(temp.Combine("single.txt"), "user.single", Hex("one"));
        var recipe = RecipeBuilder.FromScratch("fixtures/preserve")
            .BaseDirectory(temp.Path)
            .Step(s => s
                .Copy("src/", "/kept/", preserveXattrs: true, xattrs: new Dictionary<string, byte[]> { ["user.override"] = "recipe"u8.ToArray() })
                .Copy("single.txt", "/single.txt", preserveXattrs: true)
                .Copy("src/", "/plain/"))
            .Build();
        var archive = temp.Combine("preserve.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, archive));

        var entries = IndependentReader.Entries(archive, details: true).ToDictionary(e => e.GetProperty("name").GetString()!);
        static string Pax(JsonElement entry, string key) => entry.GetProperty("pax").TryGetProperty(key, out var v) ? v.GetString()! : "(none)";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Pax(entries["kept/a.txt"], "SCHILY.xattr.user.binary"), Is.EqualTo("00ff10"), "a walked file, binary value");
            Assert.That(Pax(entries["kept/sub"], "SCHILY.xattr.user.folder"), Is.EqualTo(Hex("dir")), "a walked folder");
            Assert.That(Pax(entries["kept/sub/b.bin"], "SCHILY.xattr.user.override"), Is.EqualTo(Hex("recipe")), "the recipe's xattrs win");
            Assert.That(Pax(entries["single.txt"], "SCHILY.xattr.user.single"), Is.EqualTo(Hex("one")), "a single file");
            Assert.That(entries["plain/a.txt"].GetProperty("pax").EnumerateObject(), Is.Empty, "without preserveXattrs the host's are not read");
        }
    }

    private static string Hex(string text) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text));

    private static void SetXattr(string path, string name, string valueHex)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "import os, sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]))", path, name, valueHex })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr);
    }
}
