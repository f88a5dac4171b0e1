using LayerBuilder.Diagnostics;
using Microsoft.Build.Utilities;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Reports core diagnostics as MSBuild errors and warnings with file, line, column and code, so the
/// console shows the canonical <c>layerbuild.yml(LINE,COL): error LBnnnn: message</c> and IDEs place them.
/// </summary>
internal sealed class DiagnosticLogger(TaskLoggingHelper log, string? projectFile)
{
    /// <summary>Positions the core names after command-line options; here those values come from properties.</summary>
    private static readonly Dictionary<string, string> OptionProperties = new(StringComparer.Ordinal)
    {
        ["--tag"] = "LayerBuildTags",
        ["--arg"] = "LayerBuildArg",
        ["--created"] = "LayerBuildCreated",
        ["SOURCE_DATE_EPOCH"] = "SOURCE_DATE_EPOCH",
        ["DOCKER_HOST"] = "DOCKER_HOST",
    };

    public void Report(Diagnostic diagnostic)
    {
        var file = diagnostic.Position.File;
        var line = diagnostic.Position.Line;
        var column = diagnostic.Position.Column;
        var message = diagnostic.Message;
        if (OptionProperties.TryGetValue(file, out var property))
        {
            // The value was set in the project or on the command line, not in any file the core knows.
            file = projectFile ?? "";
            line = 0;
            column = 0;
            message = $"{property}: {message}";
        }
        else if (file.Length == 0)
        {
            // From no file at all (the docker engine, a registry): the project is what asked for it.
            file = projectFile ?? "";
        }

        if (diagnostic.Severity == Severity.Error)
        {
            log.LogError(null, diagnostic.Code.Id, null, file, line, column, 0, 0, message);
        }
        else
        {
            log.LogWarning(null, diagnostic.Code.Id, null, file, line, column, 0, 0, message);
        }
    }
}
