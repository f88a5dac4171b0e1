using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Names the files an image build reads, for the <c>LayerBuild</c> target's Inputs, and keeps a stamp
/// file that changes whenever anything else the build depends on changes: settings, args, the task
/// itself, and the list of input files (timestamps alone miss a deleted file or an old file copied in).
/// A recipe that does not parse yields only itself; the build task then reports why.
/// </summary>
public sealed class ResolveRecipeInputs : RecipeTask
{
    /// <summary>Rewritten only when its content changes, so its timestamp is a fingerprint of the settings.</summary>
    [Required]
    public string StampFile { get; set; } = "";

    [Output]
    public ITaskItem[] Inputs { get; set; } = [];

    public override bool Execute()
    {
        var fingerprint = new StringBuilder();
        fingerprint.Append("recipe=").AppendLine(Recipe);
        fingerprint.Append("generated=").AppendLine(GeneratedRecipe);
        fingerprint.Append("output=").AppendLine(Path.GetFullPath(Output));
        fingerprint.Append("format=").AppendLine(Format);
        fingerprint.Append("compression=").AppendLine(Compression);
        fingerprint.Append("created=").AppendLine(Created);
        fingerprint.Append("source-date-epoch=").AppendLine(SourceDateEpoch);
        fingerprint.Append("commit-time=").AppendLine(CommitTime);
        fingerprint.Append("tags=").AppendJoin(';', Tags ?? []).AppendLine();
        foreach (var arg in Args ?? [])
        {
            fingerprint.Append("arg ").Append(arg.ItemSpec).Append('=').AppendLine(arg.GetMetadata("Value"));
        }

        // A rebuilt task or core library may write different bytes for the same recipe.
        fingerprint.Append("task=").AppendLine(typeof(ResolveRecipeInputs).Assembly.ManifestModule.ModuleVersionId.ToString());
        fingerprint.Append("core=").AppendLine(typeof(RecipeParser).Assembly.ManifestModule.ModuleVersionId.ToString());

        // The generated recipe is rewritten only when a setting changes, so its timestamp covers them all.
        var files = new SortedSet<string>(StringComparer.Ordinal) { Path.GetFullPath(GeneratedRecipe) };
        if (!string.IsNullOrEmpty(Recipe))
        {
            files.Add(Path.GetFullPath(Recipe));
        }

        foreach (var file in RecipeFiles())
        {
            files.Add(file);
        }

        foreach (var file in files)
        {
            fingerprint.Append("input ").AppendLine(file);
        }

        WriteStamp(fingerprint.ToString());
        Inputs = files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
        return !Log.HasLoggedErrors;
    }

    private IEnumerable<string> RecipeFiles()
    {
        BuildRecipe recipe;
        try
        {
            var options = RecipeOptionsMapper.Map(Args, Tags, Created, SourceDateEpoch, log: null, projectFile: null);
            if (options is null)
            {
                return [];
            }

            recipe = RecipeComposer.Compose(Recipe, GeneratedRecipe, options, CommitTime);
        }
        catch (Exception e) when (e is LayerBuildException or IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Low, "LayerBuild: the recipe's inputs are not known until it parses: {0}", e.Message);
            return [];
        }

        var roots = new List<string>();
        switch (recipe.Base)
        {
            case RootfsBase rootfs:
                roots.Add(rootfs.HostPath);
                break;
            case ImageBase image:
                roots.Add(image.HostPath);
                break;
        }

        foreach (var step in recipe.Steps)
        {
            roots.AddRange(step.Copy.Select(c => c.Source.Value));
            roots.AddRange(step.Extract.Select(x => x.Source.Value));
        }

        return roots.SelectMany(Expand);
    }

    /// <summary>A file as itself, a folder as every file under it. Symlinks are left out: MSBuild follows
    /// them, and a dangling one (common in root filesystems) would make the target always out of date.</summary>
    private static IEnumerable<string> Expand(string path)
    {
        if (!Directory.Exists(path))
        {
            // A missing input is listed all the same: MSBuild then runs the target, and the core says what is wrong.
            return File.Exists(path) || !Path.Exists(path) ? [path] : [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return new FileSystemEnumerable<string>(path, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
    }

    private void WriteStamp(string fingerprint)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint))) + "\n";
        try
        {
            if (File.Exists(StampFile) && File.ReadAllText(StampFile) == hash)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StampFile))!);
            File.WriteAllText(StampFile, hash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError($"LayerBuild: cannot write '{StampFile}': {e.Message}");
        }
    }
}
