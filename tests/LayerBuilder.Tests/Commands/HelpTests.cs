using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Commands;

/// <summary>
/// What <c>--help</c> and <c>dotnet layerbuild help</c> show a newcomer: examples, the exit codes the tool
/// really returns, where the documentation is, and placeholders that say what a value looks like.
/// </summary>
public sealed class HelpTests
{
    [Test]
    public async Task The_builds_help_has_examples_exit_codes_and_a_docs_pointer()
    {
        var (exitCode, stdout, stderr) = await RunAsync("--help");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Examples:").And.Contain("dotnet layerbuild app.yml -o app.tar --tag 1.2"));
        Assert.That(stdout, Does.Contain("Documentation:").And.Contain("docs/diagnostics.md"));
        Assert.That(stdout.IndexOf("Commands:", StringComparison.Ordinal), Is.LessThan(stdout.IndexOf("Examples:", StringComparison.Ordinal)),
            "System.CommandLine's own sections come first");
    }

    [TestCase(ExitCodes.Success)]
    [TestCase(ExitCodes.InvalidInput)]
    [TestCase(ExitCodes.Usage)]
    [TestCase(ExitCodes.OutputFailed)]
    [TestCase(ExitCodes.Internal)]
    [TestCase(ExitCodes.Cancelled)]
    public async Task The_exit_codes_section_lists_every_exit_code(int code)
    {
        var (_, stdout, _) = await RunAsync("--help");

        var section = stdout[stdout.IndexOf("Exit codes:", StringComparison.Ordinal)..];
        Assert.That(section, Does.Match($@"\n  {code} +\S"), section);
    }

    [TestCase("--arg <NAME=VALUE>")]
    [TestCase("--tag <TAG>")]
    [TestCase("-o, --output <FILE>")]
    [TestCase("--created <TIME>")]
    [TestCase("--expect-image-id <sha256:HEX>")]
    [TestCase("--insecure-registry <HOST[:PORT]>")]
    [TestCase("<RECIPE>")]
    public async Task Values_have_placeholders_that_say_what_they_look_like(string placeholder)
    {
        var (_, stdout, _) = await RunAsync("--help");

        Assert.That(stdout, Does.Contain(placeholder));
        Assert.That(stdout, Does.Not.Contain("<arg>").And.Not.Contain("<expect-image-id>").And.Not.Contain("<insecure-registry>"));
    }

    [Test]
    public async Task Help_as_a_word_shows_the_same_text_as_the_option()
    {
        var option = await RunAsync("--help");
        var word = await RunAsync("help");

        Assert.That(word.ExitCode, Is.Zero, word.Stderr);
        Assert.That(word.Stdout, Is.EqualTo(option.Stdout));
    }

    [Test]
    public async Task Help_with_a_command_shows_that_commands_help_with_the_docs_pointer_and_its_placeholders()
    {
        var word = await RunAsync("help", "inspect");
        var option = await RunAsync("inspect", "--help");

        Assert.That(word.ExitCode, Is.Zero, word.Stderr);
        Assert.That(word.Stdout, Is.EqualTo(option.Stdout));
        Assert.That(word.Stdout, Does.Contain("--image <NAME:TAG>").And.Contain("<IMAGE>").And.Contain("Documentation:"));
        Assert.That(word.Stdout, Does.Not.Contain("Examples:"), "the build's examples belong to the build's help");
    }

    [Test]
    public async Task Help_for_a_command_that_does_not_exist_is_a_usage_error_naming_the_commands()
    {
        var (exitCode, stdout, stderr) = await RunAsync("help", "inpsect");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("error: 'inpsect' is not a command; the commands are ").And.Contain("inspect"));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(arguments);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
