using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.MSBuild.Publish;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Writes the recipe the project's properties and items make (docs/msbuild.md) to
/// <see cref="GeneratedRecipe"/>, rewriting it only when its text changes, so its timestamp tells the
/// <c>LayerBuild</c> target whether a setting changed. The defaults were filled in by the targets; this
/// task only infers what needs the publish folder: the entrypoint and the layers.
/// </summary>
public sealed class WritePublishRecipe : Task
{
    private static readonly string[] LayeringModes = ["dotnet", "single"];

    [Required]
    public string GeneratedRecipe { get; set; } = "";

    [Required]
    public string Repository { get; set; } = "";

    public string[]? Tags { get; set; }

    [Required]
    public string BaseImage { get; set; } = "";

    /// <summary>The project's folder, which a relative <see cref="BaseImage"/> path is taken from.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    public string? RuntimeIdentifier { get; set; }

    /// <summary>Whether the project is an app (<c>OutputType</c> <c>Exe</c>); only an app's runtime identifier is checked.</summary>
    public bool IsApp { get; set; }

    [Required]
    public string WorkingDirectory { get; set; } = "";

    public string? User { get; set; }

    [Required]
    public string AssemblyName { get; set; } = "";

    [Required]
    public string TargetFileName { get; set; } = "";

    public bool UseAppHost { get; set; }

    /// <summary>The publish folder, absolute; when it does not exist the recipe has no steps.</summary>
    public string? PublishDir { get; set; }

    /// <summary><c>dotnet</c> (default) or <c>single</c>.</summary>
    public string? Layering { get; set; }

    /// <summary>The SDK's <c>ResolvedFileToPublish</c> items (metadata <c>RelativePath</c>, <c>NuGetPackageId</c>).</summary>
    public ITaskItem[]? PublishFiles { get; set; }

    /// <summary>The SDK's <c>RuntimePack</c> items: the packages whose files are the .NET runtime.</summary>
    public ITaskItem[]? RuntimePacks { get; set; }

    /// <summary><c>LayerBuildPort</c> items: the port number, metadata <c>Type</c> <c>tcp</c> (default) or <c>udp</c>.</summary>
    public ITaskItem[]? Ports { get; set; }

    /// <summary><c>LayerBuildEnvironmentVariable</c> items: the name, metadata <c>Value</c>.</summary>
    public ITaskItem[]? EnvironmentVariables { get; set; }

    /// <summary><c>LayerBuildLabel</c> items: the key, metadata <c>Value</c>.</summary>
    public ITaskItem[]? Labels { get; set; }

    /// <summary>The image spec's pre-defined labels the targets filled from the project's properties
    /// (<c>org.opencontainers.image.version</c>, <c>title</c>, ...): the key, metadata <c>Value</c>.</summary>
    public ITaskItem[]? StandardLabels { get; set; }

    /// <summary><c>LayerBuildGenerateLabels</c>: false leaves the pre-defined labels and annotations out.</summary>
    public bool GenerateLabels { get; set; } = true;

    /// <summary><c>LayerBuildCreated</c>, for the <c>created</c> label.</summary>
    public string? Created { get; set; }

    public string? SourceDateEpoch { get; set; }

    /// <summary>The project's commit time (seconds since 1970), empty outside a git checkout.</summary>
    public string? CommitTime { get; set; }

    /// <summary>The project, named in errors about its properties and items.</summary>
    public string? ProjectFile { get; set; }

    public override bool Execute()
    {
        var layering = string.IsNullOrWhiteSpace(Layering) ? "dotnet" : Layering.Trim().ToLowerInvariant();
        if (!LayeringModes.Contains(layering))
        {
            Error(DiagnosticCodes.UnknownLayering, $"LayerBuildLayering '{Layering}' is not known; use dotnet (runtime, packages and app in layers of their own) or single (one layer)");
        }

        CheckRuntimeIdentifier();
        var environment = Pairs(EnvironmentVariables, "LayerBuildEnvironmentVariable");
        var baseImage = BaseReference();
        var standard = GenerateLabels ? StandardLabelPairs(baseImage) : [];
        var labels = Pairs([.. StandardLabels ?? [], .. Labels ?? []], "LayerBuildLabel");
        if (GenerateLabels)
        {
            labels = [.. standard.Where(s => labels.All(l => l.Key != s.Key)), .. labels];
        }

        // An item with an empty value takes a label out, the pre-defined ones included.
        labels.RemoveAll(l => l.Value.Length == 0);
        var annotations = GenerateLabels
            ? labels.Where(l => l.Key.StartsWith(StandardLabelPrefix, StringComparison.Ordinal)).ToList()
            : [];
        var ports = (Ports ?? []).Select(Port).ToList();
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var publishDir = string.IsNullOrEmpty(PublishDir) || !Directory.Exists(PublishDir) ? null : PublishDir;
        var settings = new PublishSettings
        {
            Repository = Repository.Trim(),
            Tags = (Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            BaseImage = baseImage,
            Platform = PlatformOf(RuntimeIdentifier),
            WorkingDirectory = WorkingDirectory.Trim(),
            Entrypoint = Entrypoint(publishDir),
            User = string.IsNullOrWhiteSpace(User) ? null : User.Trim(),
            Environment = environment,
            Labels = labels,
            Annotations = annotations,
            Ports = ports,
            PublishDir = publishDir is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(publishDir)) + "/",
            Layers = layering == "single" ? null : Publish.PublishFiles.From(PublishFiles ?? [], (RuntimePacks ?? []).Select(p => p.ItemSpec)),
        };

        WriteIfChanged(PublishRecipeText.Write(settings));
        return !Log.HasLoggedErrors;
    }

    /// <summary>An image runs Linux: a Windows or macOS identifier is an error; none is a warning, since a
    /// portable app runs, but native assets then may not match the image (docs/msbuild.md, "Guard rails").</summary>
    private void CheckRuntimeIdentifier()
    {
        if (!IsApp)
        {
            return;
        }

        var rid = (RuntimeIdentifier ?? "").Trim();
        if (rid.Length == 0)
        {
            Log.LogWarning(null, DiagnosticCodes.RuntimeIdentifierNotLinux.Id, null, ProjectFile, 0, 0, 0, 0,
                "no RuntimeIdentifier: the app is published portable and the image takes the base's platform; publish with -r linux-x64 (or linux-arm64), or set <RuntimeIdentifier>, so its native parts match the image");
        }
        else if (!rid.StartsWith("linux", StringComparison.OrdinalIgnoreCase))
        {
            Error(DiagnosticCodes.RuntimeIdentifierNotLinux,
                $"RuntimeIdentifier '{rid}' is not a Linux one, but container images run Linux; publish with -r linux-x64 (or linux-arm64, linux-musl-x64)");
        }
    }

    private const string StandardLabelPrefix = "org.opencontainers.image.";

    /// <summary>The pre-defined keys only this task can fill: <c>created</c> (the image's time, never the
    /// wall clock) and, for a base by reference, <c>base.name</c> and (for one pinned by digest) <c>base.digest</c>.</summary>
    private List<KeyValuePair<string, string>> StandardLabelPairs(string baseImage)
    {
        var pairs = new List<KeyValuePair<string, string>> { new(StandardLabelPrefix + "created", CreatedText()) };
        if (!Path.IsPathRooted(baseImage))
        {
            pairs.Add(new(StandardLabelPrefix + "base.name", baseImage));
            var at = baseImage.IndexOf("@sha256:", StringComparison.Ordinal);
            if (at > 0)
            {
                pairs.Add(new(StandardLabelPrefix + "base.digest", baseImage[(at + 1)..]));
            }
        }

        return pairs;
    }

    /// <summary>As the image's config will have it: LayerBuildCreated, else SOURCE_DATE_EPOCH, else the commit time, else 1970.</summary>
    private string CreatedText()
    {
        if (!string.IsNullOrWhiteSpace(Created))
        {
            return Created.Trim();
        }

        var time = long.TryParse((SourceDateEpoch ?? "").Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : CommitTimes.TryParse(CommitTime, out var commit) ? commit : DateTimeOffset.UnixEpoch;
        return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A base that names an existing file or folder (relative to the project) is that archive or
    /// layout, given in full; anything else is an image reference, kept as written.</summary>
    private string BaseReference() => PublishBase.LocalPath(ProjectDirectory, BaseImage) ?? BaseImage.Trim();

    /// <summary>As the SDK infers it: the apphost when the publish folder has one, else <c>dotnet App.dll</c>
    /// run from the working directory.</summary>
    private List<string> Entrypoint(string? publishDir)
    {
        if (UseAppHost && publishDir is not null && File.Exists(Path.Combine(publishDir, AssemblyName)))
        {
            return [WorkingDirectory.TrimEnd('/') + "/" + AssemblyName];
        }

        return ["dotnet", TargetFileName];
    }

    /// <summary>The platform of a Linux runtime identifier (<c>linux-x64</c>, <c>linux-musl-arm64</c>);
    /// null for none or another, which leaves the platform to the base image.</summary>
    internal static string? PlatformOf(string? runtimeIdentifier)
    {
        var parts = (runtimeIdentifier ?? "").Trim().ToLowerInvariant().Split('-');
        if (parts.Length < 2 || !parts[0].StartsWith("linux", StringComparison.Ordinal))
        {
            return null;
        }

        return parts[^1] switch
        {
            "x64" => "linux/amd64",
            "arm64" => "linux/arm64",
            "arm" => "linux/arm/v7",
            "x86" => "linux/386",
            "s390x" => "linux/s390x",
            "ppc64le" => "linux/ppc64le",
            "riscv64" => "linux/riscv64",
            "loongarch64" => "linux/loong64",
            _ => null,
        };
    }

    private List<KeyValuePair<string, string>> Pairs(ITaskItem[]? items, string kind)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in items ?? [])
        {
            var name = item.ItemSpec.Trim();
            if (name.Length == 0)
            {
                Error(DiagnosticCodes.InvalidPublishItem, $"a {kind} item has no name; write <{kind} Include=\"NAME\" Value=\"...\" />");
                continue;
            }

            pairs.RemoveAll(p => p.Key == name);
            pairs.Add(new(name, item.GetMetadata("Value")));
        }

        return pairs;
    }

    private string Port(ITaskItem item)
    {
        var type = item.GetMetadata("Type").Trim().ToLowerInvariant();
        if (type is not ("" or "tcp" or "udp"))
        {
            Error(DiagnosticCodes.InvalidPublishItem, $"LayerBuildPort '{item.ItemSpec}' has Type '{type}'; use tcp or udp");
        }

        return item.ItemSpec.Trim() + "/" + (type.Length == 0 ? "tcp" : type);
    }

    private void WriteIfChanged(string text)
    {
        try
        {
            var path = Path.GetFullPath(GeneratedRecipe);
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError(null, DiagnosticCodes.OutputNotWritable.Id, null, GeneratedRecipe, 0, 0, 0, 0, $"cannot write the generated recipe: {e.Message}");
        }
    }

    private void Error(DiagnosticCode code, string message) =>
        Log.LogError(null, code.Id, null, ProjectFile, 0, 0, 0, 0, message);
}
