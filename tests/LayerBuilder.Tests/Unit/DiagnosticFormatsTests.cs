using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tests.Unit;

/// <summary>Diagnostics print in the forms surface.md fixes: the CLI's and MSBuild's canonical one.</summary>
public sealed class DiagnosticFormatsTests
{
    [Test]
    public void Diagnostics_print_in_the_cli_and_msbuild_forms()
    {
        var diagnostic = new Diagnostic(DiagnosticCodes.InvalidMode, Severity.Error, new SourcePosition("app/layerbuild.yml", 12, 15), "bad mode");

        Assert.That(diagnostic.ToCliString(), Is.EqualTo("app/layerbuild.yml:12:15: error LB1020: bad mode"));
        Assert.That(diagnostic.ToMSBuildString(), Is.EqualTo("app/layerbuild.yml(12,15): error LB1020: bad mode"));
    }

    [Test]
    public void Warnings_say_warning()
    {
        var diagnostic = new Diagnostic(DiagnosticCodes.UnsupportedEntry, Severity.Warning, new SourcePosition("layerbuild.yml", 1, 2), "dropped");

        Assert.That(diagnostic.ToCliString(), Is.EqualTo("layerbuild.yml:1:2: warning LB2012: dropped"));
    }
}
