using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace LayerBuilder.Tool;

/// <summary>
/// The help System.CommandLine writes, followed by what a newcomer looks for next: examples and the exit
/// codes under the build's own help, and under every command's help where the documentation is. The
/// exit codes are <see cref="ExitCodes"/>'s (README "Exit codes").
/// </summary>
internal sealed class HelpSections(HelpAction standard, TextWriter output) : SynchronousCommandLineAction
{
    public const string Examples = """
        Examples:
          dotnet layerbuild                                  Build ./layerbuild.yml into <image name>.tar
          dotnet layerbuild app.yml -o app.tar --tag 1.2     Build app.yml into app.tar, tagged 1.2
          dotnet layerbuild --arg VERSION=1.2 --format oci   Set a recipe arg; write the OCI layout
          dotnet layerbuild -o - | docker load               Stream the archive into docker
          dotnet layerbuild --push                           Push to the registry the image's name says
          dotnet layerbuild init                             Write a starter layerbuild.yml here
          dotnet layerbuild help inspect                     Show the help of a command
        """;

    public const string ExitCodeList = """
        Exit codes:
          0    success
          1    the recipe or its inputs are wrong, or a registry or the docker engine failed
          2    the command line is wrong
          3    the archive could not be written (disk full, permissions, a closed pipe)
          70   internal error (run again with --verbose for the stack trace)
          130  cancelled by Ctrl+C (143 by SIGTERM, 129 by SIGHUP)
        """;

    public const string Documentation = """
        Documentation: README.md and docs/ of LayerBuilder: docs/recipe.md (the recipe),
        docs/diagnostics.md (every LB code and its fix), docs/commands.md (inspect, verify, diff, help,
        progress), docs/msbuild.md (dotnet publish).
        """;

    public override bool ClearsParseErrors => true;

    /// <summary>Puts these sections under the help option of <paramref name="root"/> and of every command below it.</summary>
    public static void AddTo(RootCommand root, TextWriter output)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpSections((HelpAction)help.Action!, output);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var result = standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            output.WriteLine(Examples);
            output.WriteLine();
            output.WriteLine(ExitCodeList);
            output.WriteLine();
        }

        output.WriteLine(Documentation);
        return result;
    }
}
