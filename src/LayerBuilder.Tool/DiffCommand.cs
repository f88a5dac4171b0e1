using System.CommandLine;
using System.Text.Json;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild diff IMAGE_A IMAGE_B</c>: the config values and the paths of the final
/// filesystems that differ (<see cref="ImageComparison"/>). Like <c>diff</c>: exit 0 when the images are
/// the same, 1 when they differ, 2 when one cannot be read.
/// </summary>
public sealed class DiffCommand(TextWriter stdout, TextWriter stderr)
{
    /// <summary>diff(1)'s "trouble": an image that cannot be read, told apart from a difference.</summary>
    public const int Trouble = 2;

    private readonly Argument<string> left = new("image-a") { HelpName = "IMAGE_A", Description = "The first image archive or layout." };
    private readonly Argument<string> right = new("image-b") { HelpName = "IMAGE_B", Description = "The second image archive or layout." };
    private readonly Option<string?> leftName = new("--image-a") { HelpName = "NAME:TAG", Description = "The image of the first archive, when it holds several (name:tag)." };
    private readonly Option<string?> rightName = new("--image-b") { HelpName = "NAME:TAG", Description = "The image of the second archive, when it holds several (name:tag)." };
    private readonly Option<string?> platform = new("--platform") { HelpName = "OS/ARCH[/VARIANT]", Description = "The platform of both images, when an archive holds an image index." };
    private readonly Option<string?> leftPlatform = new("--platform-a") { HelpName = "OS/ARCH[/VARIANT]", Description = "The platform of the first image, when its archive holds an image index (overrides --platform)." };
    private readonly Option<string?> rightPlatform = new("--platform-b") { HelpName = "OS/ARCH[/VARIANT]", Description = "The platform of the second image, when its archive holds an image index (overrides --platform)." };
    private readonly Option<bool> json = new("--json") { Description = "Print JSON (docs/commands.md) instead of text." };
    private readonly Option<bool> verbose = new("--verbose") { Description = "Show stack traces of internal errors." };

    public Command Create()
    {
        var command = new Command("diff", "Compares two images: config values, and added, removed and changed paths of their final filesystems. Exit 1 when they differ.")
        {
            left, right, leftName, rightName, platform, leftPlatform, rightPlatform, json, verbose,
        };
        command.SetAction((result, token) => new ImageCommandRun(stderr).RunAsync(
            () => RunAsync(result, token), Trouble, result.GetValue(verbose), token));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var leftPath = result.GetValue(left)!;
        var rightPath = result.GetValue(right)!;
        var a = await PickAsync(leftPath, result.GetValue(leftName), result.GetValue(leftPlatform) ?? result.GetValue(platform), "a", cancellationToken).ConfigureAwait(false);
        var b = await PickAsync(rightPath, result.GetValue(rightName), result.GetValue(rightPlatform) ?? result.GetValue(platform), "b", cancellationToken).ConfigureAwait(false);
        var difference = await ImageComparison.CompareAsync(a, b, cancellationToken).ConfigureAwait(false);
        if (result.GetValue(json))
        {
            await JsonOutput.WriteAsync(stdout, w => WriteJson(w, leftPath, rightPath, difference), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var change in difference.ConfigChanges)
            {
                await stdout.WriteLineAsync($"config {change.Field}: {change.Left ?? "(none)"} -> {change.Right ?? "(none)"}").ConfigureAwait(false);
            }

            foreach (var change in difference.PathChanges)
            {
                await stdout.WriteLineAsync(Line(change)).ConfigureAwait(false);
            }
        }

        return difference.AreEqual ? ExitCodes.Success : 1;
    }

    /// <summary>The one image of a side: an image index needs a platform (<see cref="ImageChoice"/>).</summary>
    private static async Task<ArchivedImage> PickAsync(string path, string? reference, string? platform, string side, CancellationToken cancellationToken)
    {
        var archive = await ImageArchive.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        return ImageChoice.Choose(archive, reference, platform, $"--image-{side}", $"--platform-{side}").One(archive, $"--platform-{side}");
    }

    private static string Line(PathChange change) => change.Change switch
    {
        PathChangeKind.Added => $"+ {change.Path}",
        PathChangeKind.Removed => $"- {change.Path}",
        _ => $"M {change.Path} ({string.Join(", ", Aspects(change.Aspects))})",
    };

    /// <summary>The changed aspects' names, lower case, in a fixed order.</summary>
    private static IEnumerable<string> Aspects(PathAspects aspects) =>
        Enum.GetValues<PathAspects>().Where(a => a != PathAspects.None && aspects.HasFlag(a)).Select(a => a.ToString().ToLowerInvariant());

    private static void WriteJson(Utf8JsonWriter json, string leftPath, string rightPath, ImageDifference difference)
    {
        json.WriteStartObject();
        json.WriteString("a", leftPath);
        json.WriteString("b", rightPath);
        json.WriteBoolean("equal", difference.AreEqual);
        json.WriteStartArray("config");
        foreach (var change in difference.ConfigChanges)
        {
            json.WriteStartObject();
            json.WriteString("field", change.Field);
            WriteRaw(json, "a", change.Left);
            WriteRaw(json, "b", change.Right);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("paths");
        foreach (var change in difference.PathChanges)
        {
            json.WriteStartObject();
            json.WriteString("path", change.Path);
            json.WriteString("change", change.Change.ToString().ToLowerInvariant());
            json.WriteStartArray("aspects");
            foreach (var aspect in Aspects(change.Aspects))
            {
                json.WriteStringValue(aspect);
            }

            json.WriteEndArray();
            WriteEntry(json, "a", change.Left);
            WriteEntry(json, "b", change.Right);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter json, string name, string? value)
    {
        json.WritePropertyName(name);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(value);
        }
    }

    private static void WriteEntry(Utf8JsonWriter json, string name, FileSystemEntry? entry)
    {
        json.WritePropertyName(name);
        if (entry is null)
        {
            json.WriteNullValue();
        }
        else
        {
            EntryText.Write(json, entry);
        }
    }
}
