using System.CommandLine;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild init [FOLDER]</c>: writes a commented starter <c>layerbuild.yml</c> into the folder
/// (default: the current one) for the .NET project there, or a plain runnable one when there is none
/// (<see cref="StarterRecipes"/>). An existing <c>layerbuild.yml</c> is kept unless <c>--force</c>.
/// </summary>
public sealed class InitCommand(TextWriter stdout, TextWriter stderr)
{
    public const string FileName = "layerbuild.yml";

    private static readonly string[] ProjectPatterns = ["*.csproj", "*.fsproj", "*.vbproj"];

    private readonly Argument<DirectoryInfo?> folder = new("folder")
    {
        HelpName = "FOLDER",
        Description = "The folder to write layerbuild.yml into (default: the current folder).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<bool> force = new("--force") { Description = "Replace an existing layerbuild.yml." };

    public Command Create()
    {
        var command = new Command("init", "Writes a commented starter layerbuild.yml for the .NET project in the folder (or a plain one outside a project).")
        {
            folder, force,
        };
        command.SetAction((result, token) => RunAsync(result.GetValue(folder)?.FullName ?? Environment.CurrentDirectory, result.GetValue(force), token));
        return command;
    }

    private async Task<int> RunAsync(string target, bool replace, CancellationToken cancellationToken)
    {
        var path = Path.Combine(target, FileName);
        if (!Directory.Exists(target))
        {
            return await FailAsync(DiagnosticCodes.InitNotPossible, target, $"the folder {target} does not exist", cancellationToken).ConfigureAwait(false);
        }

        if (File.Exists(path) && !replace)
        {
            return await FailAsync(DiagnosticCodes.InitNotPossible, path, $"{path} already exists; pass --force to replace it", cancellationToken).ConfigureAwait(false);
        }

        var projects = ProjectPatterns.SelectMany(p => Directory.EnumerateFiles(target, p)).Order(StringComparer.Ordinal).ToList();
        if (projects.Count > 1)
        {
            return await FailAsync(DiagnosticCodes.InitNotPossible, target,
                $"the folder has several projects ({string.Join(", ", projects.Select(Path.GetFileName))}); run init in a folder with one", cancellationToken).ConfigureAwait(false);
        }

        var text = projects.Count == 1 ? StarterRecipes.ForProject(Path.GetFileNameWithoutExtension(projects[0])) : StarterRecipes.Plain;
        try
        {
            await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{path}: error {DiagnosticCodes.OutputNotWritable.Id}: cannot write it: {e.Message}").ConfigureAwait(false);
            return ExitCodes.OutputFailed;
        }

        var kind = projects.Count == 1 ? $"for {Path.GetFileName(projects[0])} (dotnet publish lays it over the project's image)" : "(build it with: dotnet layerbuild layerbuild.yml -o image.tar)";
        await stdout.WriteLineAsync($"wrote {path} {kind}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private async Task<int> FailAsync(DiagnosticCode code, string where, string message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await stderr.WriteLineAsync($"{where}: error {code.Id}: {message}").ConfigureAwait(false);
        return ExitCodes.InvalidInput;
    }
}
