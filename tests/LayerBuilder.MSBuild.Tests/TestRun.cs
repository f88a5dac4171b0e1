using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// What every test of the run shares because it is slow to make: one packed feed and one base root
/// filesystem. Made on first use, so a run whose tests are all skipped makes neither.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    private static readonly Lazy<string> RootFolder = new(() =>
        Directory.CreateTempSubdirectory("layerbuilder-msbuild-tests-").FullName);

    private static readonly Lazy<Task<PackageFeed>> PackedFeed = new(() => PackageFeed.PackAsync(Root));

    private static readonly Lazy<Task<string>> BookwormRootfs = new(() => DebianRootfs.GetAsync("bookworm"));

    private static readonly Lazy<Task<TestBases>> PublishBases = new(async () =>
        await TestBases.MakeAsync(Root, await FeedAsync(), await RootfsAsync()));

    /// <summary>The run's temp folder. Everything made under it is outside any repository, so the
    /// checkout's Directory.Build.props and central package versions cannot reach the sample apps.</summary>
    public static string Root => RootFolder.Value;

    public static Task<PackageFeed> FeedAsync() => PackedFeed.Value;

    /// <summary>A Debian bookworm minbase root filesystem tar from the cache.</summary>
    public static Task<string> RootfsAsync() => BookwormRootfs.Value;

    /// <summary>Base image archives standing for Microsoft's runtime-deps and runtime images.</summary>
    public static Task<TestBases> BasesAsync() => PublishBases.Value;

    [OneTimeTearDown]
    public async Task RemoveRunFiles()
    {
        if (PackedFeed.IsValueCreated && PackedFeed.Value.IsCompletedSuccessfully)
        {
            await PackedFeed.Value.Result.RemoveFromGlobalPackagesAsync();
        }

        if (RootFolder.IsValueCreated)
        {
            try
            {
                Directory.Delete(RootFolder.Value, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TestContext.Progress.WriteLine($"could not remove {RootFolder.Value}: {e.Message}");
            }
        }
    }
}
