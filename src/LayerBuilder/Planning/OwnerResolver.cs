using System.Globalization;
using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// Turns owner names into ids using the image as built so far (its /etc/passwd and /etc/group), as
/// Docker's COPY --chown does. A name the image does not know is an error naming the known ones.
/// A user without a group gets that user's primary group; a numeric user without a group gets gid = uid.
/// </summary>
internal sealed class OwnerResolver(LowerLayerIndex lower, DiagnosticBag diagnostics)
{
    private Dictionary<string, (int Uid, int Gid)>? users;
    private Dictionary<string, int>? groups;
    private readonly Dictionary<(string, string?), Owner> resolved = [];

    public Owner Resolve(OwnerSpec spec)
    {
        if (spec.Numeric is { } numeric)
        {
            return numeric;
        }

        // Looked up (and reported) once per spelling, however many files a copy brings.
        if (resolved.TryGetValue((spec.User, spec.Group), out var known))
        {
            return known;
        }

        var owner = Lookup(spec);
        resolved[(spec.User, spec.Group)] = owner;
        return owner;
    }

    private Owner Lookup(OwnerSpec spec)
    {
        var uid = 0;
        var primaryGid = 0;
        if (OwnerSpec.IsId(spec.User))
        {
            uid = int.Parse(spec.User, CultureInfo.InvariantCulture);
            primaryGid = uid;
        }
        else if (Users().TryGetValue(spec.User, out var user))
        {
            (uid, primaryGid) = user;
        }
        else
        {
            Unknown(spec, "user", spec.User, "/etc/passwd", Users().Keys);
        }

        var gid = primaryGid;
        if (spec.Group is { } group)
        {
            if (OwnerSpec.IsId(group))
            {
                gid = int.Parse(group, CultureInfo.InvariantCulture);
            }
            else if (Groups().TryGetValue(group, out var found))
            {
                gid = found;
            }
            else
            {
                Unknown(spec, "group", group, "/etc/group", Groups().Keys);
            }
        }

        return new Owner(uid, gid);
    }

    private void Unknown(OwnerSpec spec, string what, string name, string file, IEnumerable<string> known)
    {
        var list = known.Order(StringComparer.Ordinal).ToList();
        var hint = list.Count == 0 ? $"the image has no {file} yet; use numeric ids or add {file} in an earlier step" : "known: " + string.Join(", ", list.Take(20));
        diagnostics.Error(DiagnosticCodes.UnknownUserOrGroup, spec.Position, $"{what} '{name}' is not in the image's {file} ({hint})");
    }

    private Dictionary<string, (int, int)> Users() => users ??= Read("/etc/passwd", 4)
        .ToDictionary(f => f[0], f => (int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture)), StringComparer.Ordinal);

    private Dictionary<string, int> Groups() => groups ??= Read("/etc/group", 3)
        .ToDictionary(f => f[0], f => int.Parse(f[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>The colon-separated lines of an image file whose id columns are numbers; first name wins.</summary>
    private IEnumerable<string[]> Read(string path, int minFields)
    {
        var resolved = lower.ResolveAll(ImagePath.Parse(path));
        if (resolved.Problem is not null || lower.Get(resolved.Path) is not { Kind: EntryKind.File, Content: { } content })
        {
            return [];
        }

        // Bounded: a lower layer's file opens onto its layer tar, and the members after it are no lines of it.
        using var stream = new Layers.BoundedReadStream(content.Open(), content.Length);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(':');
            if (fields.Length >= minFields && fields[0].Length > 0 && !line.StartsWith('#') &&
                fields.Skip(2).Take(minFields - 2).All(OwnerSpec.IsId) && seen.Add(fields[0]))
            {
                lines.Add(fields);
            }
        }

        return lines;
    }
}
