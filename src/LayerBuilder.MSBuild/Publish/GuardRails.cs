using LayerBuilder.Diagnostics;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;

namespace LayerBuilder.MSBuild.Publish;

/// <summary>
/// What a published app needs from its image, checked against the finished image before anything is
/// written (docs/msbuild.md, "Guard rails"): a framework-dependent app needs the .NET runtime of its
/// major version (and ASP.NET Core's, for a web app), an app with globalization needs ICU, and a numeric
/// config user should have a line in /etc/passwd. Each failure says what to change.
/// </summary>
internal sealed record GuardRails
{
    /// <summary>Where Microsoft's images (<c>/usr/share/dotnet</c>) and distribution packages put .NET.</summary>
    private static readonly string[] DotnetRoots = ["/usr/share/dotnet", "/usr/lib/dotnet", "/usr/lib64/dotnet", "/opt/dotnet"];

    /// <summary>Where distributions put shared libraries (Debian and Ubuntu per architecture, Alpine and Fedora flat).</summary>
    private static readonly string[] LibraryFolders =
    [
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/arm-linux-gnueabihf", "/usr/lib/s390x-linux-gnu",
        "/usr/lib/powerpc64le-linux-gnu", "/usr/lib", "/usr/lib64", "/lib", "/lib64",
    ];

    public bool SelfContained { get; init; }

    /// <summary>The target framework's major version (<c>10</c> of <c>net10.0</c>).</summary>
    public required string DotnetMajor { get; init; }

    public bool AspNetCore { get; init; }

    public bool InvariantGlobalization { get; init; }

    /// <summary>Where the properties are set, named by the diagnostics.</summary>
    public required string ProjectFile { get; init; }

    public IReadOnlyList<ImageRequirement> For(BuildRecipe recipe)
    {
        var at = SourcePosition.StartOf(ProjectFile);
        var checks = new List<ImageRequirement>();
        if (!SelfContained)
        {
            checks.Add(Runtime("Microsoft.NETCore.App", ".NET", "runtime", at));
            if (AspNetCore)
            {
                checks.Add(Runtime("Microsoft.AspNetCore.App", "ASP.NET Core", "aspnet", at));
            }
        }

        if (!InvariantGlobalization)
        {
            checks.Add(new ChildNameRequirement(LibraryFolders, "libicuuc.so", Severity.Error, DiagnosticCodes.IcuMissing, at,
                "the app uses globalization (InvariantGlobalization is not true) but the image has no ICU (libicuuc.so), so it would crash at start; " +
                "set <InvariantGlobalization>true</InvariantGlobalization>, or use a base with ICU (Debian: libicu72), or set LayerBuildCheckImage=false if ICU is elsewhere"));
        }

        if (recipe.Config.User is { Numeric: { Uid: > 0 } owner })
        {
            checks.Add(new AccountRequirement(owner.Uid, Severity.Warning, DiagnosticCodes.UserNotInPasswd, at,
                $"the image runs as uid {owner.Uid}, which has no line in the image's /etc/passwd: HOME and the user name are unset for it; " +
                "add it with users: in a layerbuild.yml, or leave LayerBuildUser unset to run as app (1654)"));
        }

        return checks;
    }

    private ChildNameRequirement Runtime(string framework, string name, string flavor, SourcePosition at) =>
        new([.. DotnetRoots.Select(root => $"{root}/shared/{framework}")], DotnetMajor + ".", Severity.Error, DiagnosticCodes.RuntimeMissing, at,
            $"the app is framework-dependent but the image has no {name} {DotnetMajor} runtime ({framework} {DotnetMajor}.x under /usr/share/dotnet/shared), so it cannot start; " +
            $"use a {flavor} base of version {DotnetMajor} (leave LayerBuildBaseImage unset for the SDK's choice) or publish self-contained (-p:SelfContained=true)");
}
