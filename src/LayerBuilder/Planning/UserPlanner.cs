using System.Globalization;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;

namespace LayerBuilder.Planning;

/// <summary>
/// A step's <c>users</c> (docs/recipe.md): the accounts appended to the image's <c>/etc/passwd</c> and
/// <c>/etc/group</c> as the layers below have them (and to <c>/etc/shadow</c> when it exists, locked), the
/// users added to their supplementary groups' member lists, and a home folder made when missing. The
/// files are rewritten whole into the step's layer with the lower file's mode and owner. A user that is
/// already there with the same name, uid and gid is left as it is; a name or id another account holds is
/// an error (LB1066), never a second line.
/// </summary>
internal sealed class UserPlanner(StepPlanner step, IReadOnlyList<UserSpec> users)
{
    private const int PublicMode = 0b110_100_100;      // 0644, as useradd leaves /etc/passwd and /etc/group
    private const int HomeMode = 0b111_101_101;        // 0755

    private static readonly string RootUser = "root:x:0:0:root:/root:/bin/sh";
    private static readonly string RootGroup = "root:x:0:";

    public void Plan()
    {
        var passwd = Read("/etc/passwd");
        var group = Read("/etc/group");
        var shadow = Read("/etc/shadow");
        if (passwd is null || group is null || shadow is null)
        {
            return;
        }

        // On an image without account files, they start with root, so root stays a name there too.
        if (passwd.Existing is null)
        {
            passwd.Append(RootUser);
        }

        if (group.Existing is null)
        {
            group.Append(RootGroup);
        }

        foreach (var user in users)
        {
            Add(user, passwd, group, shadow.Existing is null ? null : shadow);
        }

        foreach (var file in new[] { passwd, group, shadow })
        {
            if (file.Changed)
            {
                Write(file);
            }
        }
    }

    private AccountFile? Read(string path)
    {
        var file = AccountFile.Read(step.Lower, path, out var problem);
        if (problem is not null)
        {
            step.Diagnostics.Error(DiagnosticCodes.UserClash, users[0].Position, $"cannot add users: {problem}");
            return null;
        }

        return file;
    }

    private void Add(UserSpec user, AccountFile passwd, AccountFile group, AccountFile? shadow)
    {
        var name = user.Name.Value;
        var uid = Text(user.Uid);
        var gid = Text(user.GroupId);
        if (passwd.ByName(name) is { } same)
        {
            if (same.Length > 3 && same[2] == uid && same[3] == gid)
            {
                return;
            }

            Clash(user, $"user '{name}' is already in the image's /etc/passwd as {Ids(same)}; use that uid and gid, or another name");
            return;
        }

        if (passwd.ById(user.Uid) is { } taken)
        {
            Clash(user, $"uid {uid} is already user '{taken[0]}' in the image's /etc/passwd; choose another uid");
            return;
        }

        if (group.ById(user.GroupId) is null)
        {
            if (group.ByName(name) is { } named)
            {
                Clash(user, $"group '{name}' is already in the image's /etc/group with gid {(named.Length > 2 ? named[2] : "?")}; set gid to it");
                return;
            }

            group.Append($"{name}:x:{gid}:");
        }

        foreach (var extra in user.Groups ?? [])
        {
            if (!AddMember(group, extra, name))
            {
                step.Diagnostics.Error(DiagnosticCodes.UnknownUserOrGroup, user.Position,
                    $"group '{extra}' of user '{name}' is not in the image's /etc/group; add it first or leave it out of 'groups'");
            }
        }

        passwd.Append($"{name}:x:{uid}:{gid}::{user.HomeFolder}:{user.LoginShell}");
        shadow?.Append($"{name}:!:::::::");
        AddHome(user);
    }

    /// <summary>Adds <paramref name="member"/> to the member list (fourth field) of the group <paramref name="name"/>.</summary>
    private static bool AddMember(AccountFile group, string name, string member)
    {
        for (var i = 0; i < group.Lines.Count; i++)
        {
            var fields = group.Lines[i].Split(':');
            if (fields.Length < 3 || fields[0] != name || group.Lines[i].StartsWith('#'))
            {
                continue;
            }

            var members = fields.Length > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() : [];
            if (!members.Contains(member, StringComparer.Ordinal))
            {
                members.Add(member);
                group.Lines[i] = string.Join(':', fields.Take(3).Append(string.Join(',', members)).Concat(fields.Skip(4)));
                group.Changed = true;
            }

            return true;
        }

        return false;
    }

    private void AddHome(UserSpec user)
    {
        if (!ImagePath.TryParse(user.HomeFolder, out var home, out _) || home.IsRoot || step.Lower.Get(step.Lower.ResolveAll(home).Path) is not null)
        {
            return;
        }

        if (step.Resolve(home, user.Position) is { } path)
        {
            step.Add(new LayerEntry
            {
                Path = path,
                Kind = EntryKind.Directory,
                Mode = HomeMode,
                Owner = new Owner(user.Uid, user.GroupId),
                ModifiedTime = step.ModifiedTime,
            }, step.Source($"users entry {user.Name.Value} (home)", user.Position), isExplicit: true);
        }
    }

    private void Write(AccountFile file)
    {
        if (step.Resolve(file.Path, users[0].Position) is not { } path)
        {
            return;
        }

        step.Add(new LayerEntry
        {
            Path = path,
            Kind = EntryKind.File,
            Mode = file.Existing?.Mode ?? PublicMode,
            Owner = file.Existing?.Owner ?? Owner.Root,
            ModifiedTime = step.ModifiedTime,
            Content = new InlineContent(file.Bytes()),
        }, step.Source($"users ({file.Path})", users[0].Position), isExplicit: true);
    }

    private void Clash(UserSpec user, string message) => step.Diagnostics.Error(DiagnosticCodes.UserClash, user.Name.Position, message);

    private static string Ids(string[] fields) => fields.Length > 3 ? $"uid {fields[2]}, gid {fields[3]}" : "a malformed line";

    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);
}
