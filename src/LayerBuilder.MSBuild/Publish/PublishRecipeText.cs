using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LayerBuilder.MSBuild.Publish;

/// <summary>
/// Writes the recipe the project's properties make (docs/msbuild.md) as <c>layerbuild.yml</c> text, so
/// it is parsed and checked exactly as a hand-written recipe is, and a wrong value is reported at a line
/// of a file the user can open (the intermediate folder's <c>layerbuild.generated.yml</c>).
/// </summary>
internal static class PublishRecipeText
{
    public const string RuntimeStep = "dotnet-runtime";
    public const string PackagesStep = "nuget-packages";
    public const string AppStep = "app";
    public const string UserStep = "app-user";

    /// <summary>The non-root account Microsoft's .NET images have (their <c>APP_UID</c>); the default user.</summary>
    public const string AppUser = "app";
    public const string AppUid = "1654";

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(PublishSettings settings)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# Made by LayerBuilder.MSBuild from the project's properties and items on every publish;");
        yaml.AppendLine("# edits here are lost. A layerbuild.yml without 'image:' beside the project is laid over it (docs/msbuild.md).");
        yaml.Append("image: ").AppendLine(Quote(settings.Repository));
        yaml.Append("tags: ").AppendLine(List(settings.Tags));
        if (settings.Platform is { } platform)
        {
            yaml.Append("platform: ").AppendLine(Quote(platform));
        }

        yaml.Append("base: ").AppendLine(Base(settings.BaseImage));
        yaml.AppendLine("config:");
        yaml.Append("  entrypoint: ").AppendLine(List(settings.Entrypoint));
        yaml.Append("  workdir: ").AppendLine(Quote(settings.WorkingDirectory));
        yaml.Append("  user: ").AppendLine(Quote(settings.User ?? AppUid));

        if (settings.Environment.Count > 0)
        {
            yaml.Append("  env: ").AppendLine(Map(settings.Environment));
        }

        if (settings.Labels.Count > 0)
        {
            yaml.Append("  labels: ").AppendLine(Map(settings.Labels));
        }

        if (settings.Annotations.Count > 0)
        {
            yaml.Append("  annotations: ").AppendLine(Map(settings.Annotations));
        }

        if (settings.Ports.Count > 0)
        {
            yaml.Append("  ports: ").AppendLine(List(settings.Ports));
        }

        if (settings.User is not null && settings.PublishDir is null)
        {
            return yaml.ToString();
        }

        yaml.AppendLine("steps:");
        if (settings.User is null)
        {
            // First, as the layer that changes least: nothing at all on a base that has the account.
            yaml.Append("  - name: ").AppendLine(UserStep);
            yaml.Append("    users: [{ name: ").Append(AppUser).Append(", uid: ").Append(Quote(AppUid)).AppendLine(" }]");
        }

        if (settings.PublishDir is { } publishDir)
        {
            AppendLayers(yaml, publishDir, settings.WorkingDirectory.TrimEnd('/') + "/", settings.Layers);
        }

        return yaml.ToString();
    }

    private static void AppendLayers(StringBuilder yaml, string publishDir, string destination, PublishFiles? layers)
    {
        if (layers is null)
        {
            AppendCopy(yaml, AppStep, publishDir, destination, "include", []);
            return;
        }

        // Least often changed first: a new build of the app alone leaves the layers below it as they were.
        if (layers.Runtime.Count > 0)
        {
            AppendCopy(yaml, RuntimeStep, publishDir, destination, "include", layers.Runtime);
        }

        if (layers.Packages.Count > 0)
        {
            AppendCopy(yaml, PackagesStep, publishDir, destination, "include", layers.Packages);
        }

        AppendCopy(yaml, AppStep, publishDir, destination, "exclude", [.. layers.Runtime, .. layers.Packages]);
    }

    private static void AppendCopy(StringBuilder yaml, string name, string source, string destination, string filter, IReadOnlyList<string> paths)
    {
        yaml.Append("  - name: ").AppendLine(name);
        yaml.AppendLine("    copy:");
        yaml.Append("      - src: ").AppendLine(Quote(source));
        yaml.Append("        dest: ").AppendLine(Quote(destination));
        if (paths.Count > 0)
        {
            yaml.Append("        ").Append(filter).AppendLine(":");
            foreach (var path in paths)
            {
                yaml.Append("          - ").AppendLine(Quote(Literal(path)));
            }
        }
    }

    /// <summary>A path (file or folder) is an image archive or layout; anything else is a reference.</summary>
    private static string Base(string value)
    {
        if (File.Exists(value))
        {
            return $"{{ image: {Quote(value)} }}";
        }

        return Directory.Exists(value) ? $"{{ layout: {Quote(value)} }}" : Quote(value);
    }

    /// <summary>A file name as a glob that matches only itself: each wildcard character in a class of its own.</summary>
    private static string Literal(string path)
    {
        var glob = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            glob.Append(c is '*' or '?' or '[' ? $"[{c}]" : c.ToString());
        }

        return glob.ToString();
    }

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    private static string Map(IEnumerable<KeyValuePair<string, string>> values) =>
        "{ " + string.Join(", ", values.Select(v => Quote(v.Key) + ": " + Quote(v.Value))) + " }";

    /// <summary>A YAML double-quoted scalar (JSON's string syntax is a subset of it), with <c>${</c>
    /// written as <c>$${</c> so a value is never read as an arg.</summary>
    private static string Quote(string value) =>
        JsonSerializer.Serialize(value.Replace("${", "$${", StringComparison.Ordinal), Quoting);
}
