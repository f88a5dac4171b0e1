using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Reads what the last build of <see cref="Archive"/> recorded, so an up-to-date (skipped) <c>LayerBuild</c>
/// target still hands later targets a <c>LayerBuildImage</c> item with its metadata.
/// </summary>
public sealed class ReadImageState : Task
{
    [Required]
    public string StateFile { get; set; } = "";

    [Required]
    public string Archive { get; set; } = "";

    /// <summary>Empty when there is no usable record; the target then runs anyway (its outputs are missing).</summary>
    [Output]
    public ITaskItem[] Image { get; set; } = [];

    public override bool Execute()
    {
        Image = File.Exists(Archive) && ImageState.TryRead(StateFile) is { } state ? [state.ToItem(Path.GetFullPath(Archive))] : [];
        return true;
    }
}
