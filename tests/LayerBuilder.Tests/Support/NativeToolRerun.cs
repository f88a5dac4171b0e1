namespace LayerBuilder.Tests.Support;

/// <summary>
/// The tests that start the CLI as a process and that CI runs a second time against the native
/// (Native AOT) tool, selected by this category rather than by names a rename would silently drop.
/// .ci/run also checks that the rerun ran at least as many tests as it expects.
/// </summary>
public static class NativeToolRerun
{
    public const string Category = "NativeToolRerun";
}
