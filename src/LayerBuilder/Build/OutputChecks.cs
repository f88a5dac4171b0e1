using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>
/// What <c>-o</c> may name, checked before anything is written. The archive is renamed over the output
/// path, which replaces whatever is there: so it must not be an input of the build (LB3003: the recipe,
/// the base, a file a step copies or extracts, under any name: compared by device and inode, and by full
/// path), nor anything but a regular file (LB3004: a device such as /dev/null, a FIFO, a symbolic link, a
/// folder); and it must not lie where a copy would take it into the next build's image (LB3002).
/// </summary>
internal static class OutputChecks
{
    public static void Check(BuildRecipe recipe, string output)
    {
        var existing = Stat(output);
        // A glob's matches are listed only when the output could be one of them under another name (a
        // hard link): a glob that matches the output's own path is refused below, without a walk.
        foreach (var (input, position) in Inputs(recipe, expandGlobs: existing is { Kind: EntryKind.File, LinkCount: > 1 }))
        {
            if (IsSameFile(output, existing, input))
            {
                throw new LayerBuildException(DiagnosticCodes.OutputIsInput, position,
                    $"the output '{output}' is '{input}', an input of this build; writing the archive would destroy it; write it elsewhere with -o");
            }
        }

        if (existing is { Kind: not EntryKind.File } || existing is { IsSocket: true })
        {
            throw new LayerBuildException(DiagnosticCodes.OutputNotRegularFile, SourcePosition.StartOf(output),
                $"the output '{output}' is {Describe(existing)}, not a regular file, and the archive would replace it; remove it or choose another path with -o (or -o - to stream)");
        }

        foreach (var copy in recipe.Steps.SelectMany(s => s.Copy))
        {
            if (ReadsOutput(copy.Source.Value, output))
            {
                throw new LayerBuildException(DiagnosticCodes.OutputInsideSource, copy.Source.Position,
                    $"the output '{output}' is inside '{copy.Source.Value}', which this recipe copies; write the archive elsewhere with -o");
            }
        }
    }

    /// <summary>The host files a build reads whole, with where the recipe names them.</summary>
    private static IEnumerable<(string Path, SourcePosition Position)> Inputs(BuildRecipe recipe, bool expandGlobs)
    {
        if (recipe.File is { } file)
        {
            yield return (Path.GetFullPath(file), SourcePosition.StartOf(file));
        }

        switch (recipe.Base)
        {
            case RootfsBase rootfs:
                yield return (rootfs.HostPath, rootfs.Position);
                break;
            case ImageBase image:
                yield return (image.HostPath, image.Position);
                break;
        }

        foreach (var step in recipe.Steps)
        {
            foreach (var copy in step.Copy)
            {
                var sources = !Glob.HasWildcards(copy.Source.Value) ? [copy.Source.Value] : expandGlobs ? Expand(copy.Source.Value) : [];
                foreach (var source in sources)
                {
                    yield return (source, copy.Source.Position);
                }
            }

            foreach (var extract in step.Extract)
            {
                yield return (extract.Source.Value, extract.Source.Position);
            }
        }
    }

    /// <summary>Same full path, or (when the output exists) the same file under another name: a hard
    /// link, or a symbolic link the input is read through.</summary>
    private static bool IsSameFile(string output, HostFileInfo? existing, string input)
    {
        var full = Path.GetFullPath(input);
        if (string.Equals(full.TrimEnd(Path.DirectorySeparatorChar), output, StringComparison.Ordinal))
        {
            return true;
        }

        if (existing is null || existing.Inode == 0 || Stat(Resolve(full)) is not { } read)
        {
            return false;
        }

        return read.Device == existing.Device && read.Inode == existing.Inode;
    }

    /// <summary>A copy reads the output: a plain copy of a folder that holds it, or a glob whose match is
    /// (or holds) it, now or once the archive is there.</summary>
    private static bool ReadsOutput(string source, string output)
    {
        if (!Glob.HasWildcards(source))
        {
            var folder = Path.GetFullPath(source).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return Directory.Exists(source) && output.StartsWith(folder, StringComparison.Ordinal);
        }

        var parts = Path.GetFullPath(source).Split(Path.DirectorySeparatorChar);
        var firstWild = Array.FindIndex(parts, Glob.HasWildcards);
        var baseFolder = string.Join(Path.DirectorySeparatorChar, parts[..firstWild]) + Path.DirectorySeparatorChar;
        if (!output.StartsWith(baseFolder, StringComparison.Ordinal))
        {
            return false;
        }

        var glob = Glob.Compile(string.Join('/', parts[firstWild..]));
        var relative = output[baseFolder.Length..].Split(Path.DirectorySeparatorChar);
        for (var length = 1; length <= relative.Length; length++)
        {
            if (glob.IsMatch(string.Join('/', relative[..length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The glob's matches; one that cannot be expanded is reported by the step that copies it.</summary>
    private static List<string> Expand(string pattern)
    {
        try
        {
            return HostTree.Expand(pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The file a symbolic link leads to; a dangling or looping link is left to the step that reads it.</summary>
    private static string Resolve(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static HostFileInfo? Stat(string path)
    {
        try
        {
            return HostFileInfo.Stat(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // missing, or beyond reach: the write will say so
        }
    }

    private static string Describe(HostFileInfo info) => info switch
    {
        { IsSocket: true } => "a socket",
        { Kind: EntryKind.Directory } => "a folder",
        { Kind: EntryKind.Symlink } => "a symbolic link",
        { Kind: EntryKind.CharDevice } => "a character device",
        { Kind: EntryKind.BlockDevice } => "a block device",
        { Kind: EntryKind.Fifo } => "a FIFO",
        _ => "not a regular file",
    };
}
