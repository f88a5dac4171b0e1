using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Turns the task parameters every LayerBuilder task shares into the core's <see cref="RecipeOptions"/>:
/// the same overrides the CLI takes as <c>--arg</c>, <c>--tag</c> and <c>--created</c>.
/// </summary>
internal static class RecipeOptionsMapper
{
    /// <summary>Returns null after logging (against <paramref name="projectFile"/>, where the items are
    /// written) when an arg name is invalid; a later item wins over an earlier one.</summary>
    public static RecipeOptions? Map(ITaskItem[]? args, string[]? tags, string? created, string? sourceDateEpoch, TaskLoggingHelper? log, string? projectFile)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var automatic = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var item in args ?? [])
        {
            var name = item.ItemSpec.Trim();
            if (!RecipeOptions.IsArgName(name))
            {
                log?.LogError(null, DiagnosticCodes.InvalidArgSyntax.Id, null, projectFile, 0, 0, 0, 0,
                    $"LayerBuildArg '{name}' is not an arg name: start with a letter or '_' and use only letters, digits and '_'");
                valid = false;
                continue;
            }

            values[name] = item.GetMetadata("Value");

            // The args the targets always pass (PublishDir, Version, ...) need no use; a LayerBuildArg does.
            if (item.GetMetadata("Automatic") == "true")
            {
                automatic.Add(name);
            }
            else
            {
                automatic.Remove(name);
            }
        }

        if (!valid)
        {
            return null;
        }

        return new RecipeOptions
        {
            Args = values,
            Tags = (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).ToList(),
            Created = string.IsNullOrWhiteSpace(created) ? null : created.Trim(),
            SourceDateEpoch = string.IsNullOrWhiteSpace(sourceDateEpoch) ? null : sourceDateEpoch.Trim(),
            QuietArgs = automatic,
        };
    }
}
