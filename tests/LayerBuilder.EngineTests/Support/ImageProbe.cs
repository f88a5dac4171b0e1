using System.Text;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// Checks an image's file system with busybox commands, one shell script for everything. Each check
/// prints a marker line then its output, so one run answers them all and every difference is reported
/// at once. The same script runs inside a container (root "") or over an unpacked rootfs on the host.
/// </summary>
public sealed class ImageProbe(ExpectedImage expected, string root = "", bool runPrograms = true)
{
    /// <summary>Prefix for the applets: "" inside the image (its /bin has them), "busybox " on the host.</summary>
    private readonly string tool = root.Length == 0 ? "" : "busybox ";

    private const string Marker = "\n@@@ ";

    /// <summary>When set, every entry is expected to belong to this owner (rootless unpackers cannot chown).</summary>
    public (int Uid, int Gid)? OwnerOverride { get; init; }

    public string Script()
    {
        var script = new StringBuilder();
        foreach (var entry in expected.Entries)
        {
            Check(script, $"stat {entry.Path}", $"{tool}stat -c '%a %u %g %F %n' {Q(entry.Path)}");
            if (entry.LinkTarget is not null)
            {
                Check(script, $"readlink {entry.Path}", $"{tool}readlink {Q(entry.Path)}");
            }

            if (entry.Text is not null)
            {
                Check(script, $"cat {entry.Path}", $"{tool}cat {Q(entry.Path)}");
            }

            if (entry.HardlinkOf is not null)
            {
                Check(script, $"inode {entry.Path}", $"{tool}stat -c '%i %h' {Q(entry.Path)}");
                Check(script, $"inode {entry.HardlinkOf}", $"{tool}stat -c '%i %h' {Q(entry.HardlinkOf)}");
            }
        }

        foreach (var path in expected.Gone)
        {
            Check(script, $"exists {path}", $"if [ -e {Q(path)} ] || [ -L {Q(path)} ]; then echo present; else echo gone; fi");
        }

        foreach (var path in expected.Listings.Keys)
        {
            Check(script, $"ls {path}", $"{tool}ls -1a {Q(path)}");
        }

        foreach (var path in expected.Sha256.Keys)
        {
            Check(script, $"sha256 {path}", $"busybox sha256sum < {Q(path)}");
        }

        if (runPrograms)
        {
            foreach (var command in expected.Runs.Keys)
            {
                Check(script, $"run {command}", command);
            }
        }

        return script.ToString();
    }

    /// <summary>Asserts every check of <see cref="Script"/> against the output it produced.</summary>
    public void AssertOutput(string output)
    {
        var sections = Parse(output);
        string Actual(string key) => sections.TryGetValue(key, out var value) ? value : $"<no output for '{key}'; the script stopped early?>";

        Assert.Multiple(() =>
        {
            foreach (var entry in expected.Entries)
            {
                var (uid, gid) = OwnerOverride ?? (entry.Uid, entry.Gid);
                Assert.That(Actual($"stat {entry.Path}"), Is.EqualTo($"{entry.Mode} {uid} {gid} {entry.Type} {root}{entry.Path}\n"), $"stat of {entry.Path}");
                if (entry.LinkTarget is not null)
                {
                    Assert.That(Actual($"readlink {entry.Path}"), Is.EqualTo(entry.LinkTarget + "\n"), $"readlink of {entry.Path}");
                }

                if (entry.Text is not null)
                {
                    Assert.That(Actual($"cat {entry.Path}"), Is.EqualTo(entry.Text), $"content of {entry.Path}");
                }

                if (entry.HardlinkOf is not null)
                {
                    var link = Actual($"inode {entry.Path}");
                    Assert.That(link, Does.EndWith(" 2\n"), $"link count of {entry.Path} (inode, count)");
                    Assert.That(link, Is.EqualTo(Actual($"inode {entry.HardlinkOf}")), $"{entry.Path} is a hard link of {entry.HardlinkOf} (inode, count)");
                }
            }

            foreach (var path in expected.Gone)
            {
                Assert.That(Actual($"exists {path}"), Is.EqualTo("gone\n"), $"{path} must not exist");
            }

            foreach (var (path, listing) in expected.Listings)
            {
                Assert.That(Actual($"ls {path}"), Is.EqualTo(listing), $"ls -1a {path}");
            }

            foreach (var (path, hash) in expected.Sha256)
            {
                Assert.That(Actual($"sha256 {path}"), Is.EqualTo($"{hash}  -\n"), $"sha256 of {path}");
            }

            if (runPrograms)
            {
                foreach (var (command, printed) in expected.Runs)
                {
                    Assert.That(Actual($"run {command}"), Is.EqualTo(printed), $"output of {command}");
                }
            }
        });
    }

    private static Dictionary<string, string> Parse(string output)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in output.Split(Marker).Skip(1))
        {
            var newline = chunk.IndexOf('\n', StringComparison.Ordinal);
            sections[newline < 0 ? chunk : chunk[..newline]] = newline < 0 ? "" : chunk[(newline + 1)..];
        }

        return sections;
    }

    private void Check(StringBuilder script, string key, string command)
    {
        // The command sees paths under the probe's root; the key always names the image path.
        script.Append("printf '\\n@@@ %s\\n' ").Append(Q(key)).Append("; ")
            .Append(root.Length == 0 ? command : command.Replace(" '/", $" '{root}/", StringComparison.Ordinal))
            .Append(" 2>&1\n");
    }

    private static string Q(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
