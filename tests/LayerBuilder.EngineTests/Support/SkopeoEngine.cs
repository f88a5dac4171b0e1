namespace LayerBuilder.EngineTests.Support;

/// <summary>skopeo with its own temp folder and no dependence on the machine's signature policy.</summary>
public sealed class SkopeoEngine(string executable, string temp)
{
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, Globals.Concat(arguments));

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, Globals.Concat(arguments));

    private IEnumerable<string> Globals
    {
        get
        {
            Directory.CreateDirectory(temp);
            return ["--insecure-policy", "--tmpdir", temp];
        }
    }
}
