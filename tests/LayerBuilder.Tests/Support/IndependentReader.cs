using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Runs independent_reader.py (Python's tarfile, no product code) over a save-format archive: one JSON
/// object per entry of every layer, in the order the script prints them.
/// </summary>
public static class IndependentReader
{
    private static readonly string Script = Path.Combine(RepositoryRoot.Path, "tests", "LayerBuilder.Tests", "Support", "independent_reader.py");

    /// <param name="archive">A save-format archive (docker, or oci with its manifest.json).</param>
    /// <param name="details">Adds each entry's layer number, name bytes, device numbers, exact PAX mtime
    /// and every PAX record with its value's bytes in hex (see the script).</param>
    public static List<JsonElement> Entries(string archive, bool details = false)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(archive);
        if (details)
        {
            start.ArgumentList.Add("--details");
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail("python3 did not finish within 60 s");
        }

        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
