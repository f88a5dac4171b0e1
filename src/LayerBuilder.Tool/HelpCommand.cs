using System.CommandLine;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild help [COMMAND]</c>: the same text as <c>--help</c> (of the build, or of the command
/// named), for those who type help as a word, as <c>git help</c> and <c>dotnet help</c> allow.
/// </summary>
internal sealed class HelpCommand(RootCommand root, TextWriter stderr)
{
    private readonly Argument<string?> command = new("command")
    {
        Description = "The command to show the help of (default: the build's own).",
        HelpName = "COMMAND",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Command Create()
    {
        var help = new Command("help", "Shows the help of the build, or of the command named.") { command };
        help.SetAction(Run);
        return help;
    }

    private int Run(ParseResult result)
    {
        var name = result.GetValue(command);
        if (name is not null && !root.Subcommands.Any(c => c.Name == name))
        {
            stderr.WriteLine($"error: '{name}' is not a command; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}");
            stderr.WriteLine("Run 'dotnet layerbuild --help' for usage.");
            return ExitCodes.Usage;
        }

        string[] line = name is null ? ["--help"] : [name, "--help"];
        return root.Parse(line).Invoke(new InvocationConfiguration { Output = result.InvocationConfiguration.Output, Error = result.InvocationConfiguration.Error });
    }
}
