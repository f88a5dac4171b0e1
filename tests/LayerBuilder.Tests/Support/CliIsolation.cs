using System.Collections.Concurrent;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A private layer cache (<c>XDG_CACHE_HOME</c>) and temp folder (<c>TMPDIR</c>) for the CLI processes
/// of one test, so no CLI test reads or fills the user's cache and no test sees another's cached
/// layers. Every CLI run of the same test shares them (a test may rebuild against its own warm cache);
/// they are removed when the test ends (<see cref="CliIsolationCleanupAttribute"/>) and with the whole run.
/// </summary>
public static class CliIsolation
{
    private static readonly string RunRoot = Path.Combine(Path.GetTempPath(), $"layerbuild-cli-tests-{System.Environment.ProcessId}");

    private static readonly ConcurrentDictionary<string, Folders> ByTest = new(StringComparer.Ordinal);

    /// <summary>The folders of the test (or fixture set-up) running now, made on first use.</summary>
    public static Folders ForCurrentTest() => ByTest.GetOrAdd(TestContext.CurrentContext.Test.ID ?? "outside-a-test", id =>
    {
        var root = Path.Combine(RunRoot, string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')));
        return new Folders(Directory.CreateDirectory(Path.Combine(root, "cache")).FullName, Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName, root);
    });

    /// <summary>The variables a CLI child gets unless the test sets them itself.</summary>
    public static IReadOnlyDictionary<string, string> Environment()
    {
        var folders = ForCurrentTest();
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["XDG_CACHE_HOME"] = folders.Cache, ["TMPDIR"] = folders.Temp };
    }

    /// <summary>
    /// For the whole run: the commands some tests run inside this process (<c>BuildCommand</c>) read
    /// <c>XDG_CACHE_HOME</c> of this process, so it points at a folder of the run too, never the user's cache.
    /// </summary>
    internal static void IsolateThisProcess() =>
        System.Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Directory.CreateDirectory(Path.Combine(RunRoot, "in-process-cache")).FullName);

    internal static void Remove(string testId)
    {
        if (ByTest.TryRemove(testId, out var folders))
        {
            Delete(folders.Root);
        }
    }

    internal static void RemoveAll()
    {
        ByTest.Clear();
        Delete(RunRoot);
    }

    private static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException e)
        {
            TestContext.Progress.WriteLine($"could not remove {path}: {e.Message}");
        }
    }

    public sealed record Folders(string Cache, string Temp, string Root);
}
