using System.Formats.Tar;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// The checks of a layer's member names that a tar reader alone does not make (docs/diagnostics.md,
/// LB4010-LB4014): a name that climbs above the root, an absolute name, a path given twice where the
/// second entry silently replaces the first, a symlink whose relative target climbs above the root, and a
/// member written beneath such a symlink. Each finding is reported and the layer is read on, so one pass
/// finds them all. Only the names are kept, never content.
/// </summary>
internal sealed class LayerMemberChecks(string layer, Action<DiagnosticCode, string> report)
{
    private readonly Dictionary<string, TarEntryType> seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> escapingLinks = new(StringComparer.Ordinal);

    /// <summary>Checks one entry by its name, type and (for a symlink) target, byte for byte as the tar
    /// holds them; returns false when its name cannot be placed under the root at all.</summary>
    public bool Check(string name, TarEntryType type, string linkName)
    {
        var printable = TarInputFailures.Printable(name);
        if (!ArchiveMemberNames<string>.TryKey(name, out var path))
        {
            report(DiagnosticCodes.MemberClimbsOut, $"{layer} has a member '{printable}' that climbs above the root");
            return false;
        }

        if (name.StartsWith('/'))
        {
            report(DiagnosticCodes.AbsoluteMemberName, $"{layer} has a member '{printable}' whose name is absolute");
        }

        if (seen.TryGetValue(path, out var earlier) && !(IsDirectory(earlier) && IsDirectory(type)))
        {
            report(DiagnosticCodes.DuplicateMember, $"{layer} has '{printable}' twice; the second entry replaces the first");
        }

        seen[path] = type;
        if (EscapingLinkAbove(path) is { } link)
        {
            report(DiagnosticCodes.WrittenThroughSymlink, $"{layer} writes '{printable}' through the symlink '{link}', which leads out of the root");
        }

        if (type == TarEntryType.SymbolicLink && Escapes(path, linkName))
        {
            escapingLinks.Add(path);
            report(DiagnosticCodes.SymlinkClimbsOut, $"{layer} has a symlink '{printable}' whose target '{TarInputFailures.Printable(linkName)}' climbs above the root");
        }

        return true;
    }

    private static bool IsDirectory(TarEntryType type) => type is TarEntryType.Directory or TarEntryType.DirectoryList;

    /// <summary>A relative target is resolved from the link's folder; an absolute one stays in the root
    /// (a runtime resolves it there), so only a relative one can climb out.</summary>
    private static bool Escapes(string path, string target)
    {
        if (target.StartsWith('/'))
        {
            return false;
        }

        var folder = path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";
        return !ImagePath.TryNormalize("/" + folder + "/" + target, out _);
    }

    private string? EscapingLinkAbove(string path)
    {
        if (escapingLinks.Count == 0)
        {
            return null;
        }

        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (escapingLinks.Contains(path[..slash]))
            {
                return path[..slash];
            }
        }

        return null;
    }
}
