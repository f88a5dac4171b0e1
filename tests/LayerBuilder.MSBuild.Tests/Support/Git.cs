namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>git, for apps whose image takes its time and revision from their checkout.</summary>
public static class Git
{
    /// <summary>Commits everything in <paramref name="folder"/> with author and committer time <paramref name="time"/>.</summary>
    public static async Task CommitAsync(string folder, string time, bool init = false)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_DATE"] = time,
            ["GIT_COMMITTER_DATE"] = time,
            ["GIT_AUTHOR_NAME"] = "LayerBuilder tests",
            ["GIT_AUTHOR_EMAIL"] = "tests@example.invalid",
            ["GIT_COMMITTER_NAME"] = "LayerBuilder tests",
            ["GIT_COMMITTER_EMAIL"] = "tests@example.invalid",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };
        var git = ProcessRunner.Find("git") ?? throw Engines.Unavailable("git", "the git command is not on PATH");
        string[][] commands = init
            ? [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "first"]]
            : [["add", "-A"], ["commit", "-q", "-m", "change"]];
        foreach (var arguments in commands)
        {
            var run = await ProcessRunner.RunAsync(ProcessRunner.Prepare(git, ["-C", folder, .. arguments], folder, environment), TimeSpan.FromMinutes(1));
            Assert.That(run.ExitCode, Is.Zero, run.Describe);
        }
    }

    public static async Task<string> HeadAsync(string folder) =>
        (await ProcessRunner.RunCheckedAsync("git", ["-C", folder, "rev-parse", "HEAD"])).StandardOutput.Trim();
}
