using System.CommandLine;
using System.Text;
using LayerBuilder.Conversion;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild convert [Dockerfile]</c>: writes the <c>layerbuild.yml</c> a Dockerfile converts to
/// (the library's <see cref="DockerfileConverter"/> decides everything; this maps the arguments and
/// prints the diagnostics). Paths in the recipe are relative to the folder it is written to.
/// </summary>
public sealed class ConvertCommand(TextWriter stdout, TextWriter stderr)
{
    private const string StandardOutput = "-";

    private readonly Argument<string> dockerfile = new("dockerfile")
    {
        HelpName = "DOCKERFILE",
        Description = "The Dockerfile to convert.",
        DefaultValueFactory = _ => "Dockerfile",
    };

    private readonly Option<string> output = new("--output", "-o")
    {
        HelpName = "FILE",
        Description = "Where to write the recipe; '-' (the default) is standard output.",
        DefaultValueFactory = _ => StandardOutput,
    };

    private readonly Option<bool> allowPartial = new("--allow-partial")
    {
        Description = "Write the recipe even when instructions cannot be converted (they are reported as warnings).",
    };

    private readonly Option<string?> image = new("--image")
    {
        HelpName = "NAME",
        Description = "The recipe's image name (default: the build context folder's name).",
    };

    private readonly Option<string?> context = new("--context")
    {
        HelpName = "DIR",
        Description = "The build context folder COPY and ADD read from (default: the Dockerfile's folder).",
    };

    private readonly Option<string?> baseImage = new("--base-image")
    {
        HelpName = "ARCHIVE",
        Description = "A docker save archive that holds FROM's image: the recipe then takes its base from it.",
    };

    public Command Create()
    {
        var command = new Command("convert", "Writes the layerbuild.yml recipe equivalent to a Dockerfile, and reports what it cannot express.")
        {
            dockerfile, output, allowPartial, image, context, baseImage,
        };
        command.SetAction((result, token) => RunAsync(result, token));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var file = result.GetValue(dockerfile)!;
        string text;
        try
        {
            text = DockerfileConverter.ReadFile(file);
        }
        catch (LayerBuildException e)
        {
            foreach (var problem in e.Diagnostics)
            {
                await stderr.WriteLineAsync(problem.ToCliString()).ConfigureAwait(false);
            }

            return ExitCodes.InvalidInput;
        }

        var target = result.GetValue(output)!;
        var recipeFolder = Path.GetFullPath(target == StandardOutput ? "." : Path.GetDirectoryName(Path.GetFullPath(target))!);
        var contextFolder = Path.GetFullPath(result.GetValue(context) ?? Path.GetDirectoryName(Path.GetFullPath(file))!);
        var fromRecipe = Path.GetRelativePath(recipeFolder, contextFolder);
        var archive = result.GetValue(baseImage) is { } path ? Path.GetRelativePath(recipeFolder, Path.GetFullPath(path)).Replace('\\', '/') : null;
        var conversion = DockerfileConverter.Convert(new DockerfileConversionRequest
        {
            Text = text,
            File = file,
            ContextFolder = contextFolder,
            ContextFromRecipe = fromRecipe == "." ? "" : fromRecipe,
            ImageName = result.GetValue(image) ?? ImageNameOf(contextFolder),
            BaseImageArchive = archive,
            AllowPartial = result.GetValue(allowPartial),
        });

        foreach (var diagnostic in conversion.Diagnostics)
        {
            await stderr.WriteLineAsync(diagnostic.ToCliString()).ConfigureAwait(false);
        }

        if (conversion.Recipe is not { } recipe)
        {
            return ExitCodes.InvalidInput;
        }

        if (target == StandardOutput)
        {
            await stdout.WriteAsync(recipe.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(target, recipe, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>A repository name from a folder's name: lowercase, other characters as '-'; "app" if nothing is left.</summary>
    private static string ImageNameOf(string folder)
    {
        var name = new string(Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length == 0 ? "app" : name;
    }
}
