namespace LayerBuilder.Build;

/// <summary>
/// The folders a build creates for its output (<c>-o new/dir/image.tar</c>): kept when the build
/// succeeds, removed again, deepest first, when it fails, so a failed build leaves nothing behind.
/// </summary>
internal sealed class CreatedFolders
{
    private readonly List<string> created = [];

    /// <summary>Creates <paramref name="folder"/> and whichever of its parents are missing, remembering them.</summary>
    public void Create(string folder)
    {
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(folder); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
            if (Path.GetDirectoryName(current) is null)
            {
                break;
            }
        }

        foreach (var path in missing)
        {
            Directory.CreateDirectory(path);
            created.Add(path);
        }
    }

    /// <summary>Removes the folders this build created, if they hold nothing (another build may have put its archive there).</summary>
    public void RemoveEmpty()
    {
        for (var i = created.Count - 1; i >= 0; i--)
        {
            try
            {
                if (!Directory.EnumerateFileSystemEntries(created[i]).Any())
                {
                    Directory.Delete(created[i]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // best effort: the failure being reported is the news
            }
        }

        created.Clear();
    }
}
