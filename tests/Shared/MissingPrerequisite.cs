using System.Diagnostics;

namespace LayerBuilder.Testing;

/// <summary>What a shared helper does when a tool it needs is missing: the test is skipped, or failed
/// when LAYERBUILDER_REQUIRE_ENGINES=1 (CI), as each suite's Engines class does for its engines.</summary>
public static class MissingPrerequisite
{
    public const string RequireVariable = "LAYERBUILDER_REQUIRE_ENGINES";

    /// <summary>Ends the test; never returns (the return type lets callers write <c>throw ...</c>).</summary>
    public static Exception Unavailable(string what, string reason)
    {
        var message = $"{what} is not available: {reason}";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail($"{message} ({RequireVariable}=1, so a missing prerequisite is a failure)");
        }

        Assert.Ignore(message);
        return new UnreachableException();
    }
}
