using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>
/// Evaluates a recipe's <c>checks</c> and the expected image id on the finished image: the merged
/// filesystem of every layer (what a container sees; file content read back from the layers, streamed)
/// and the config. It runs after the layers are made and before the first byte of the archive is
/// written, so a failed check leaves no archive, also when the archive goes to a stream
/// (docs/recipe.md, "Checks"). Every failed check is reported, each at its own position (LB6xxx).
/// </summary>
internal static class ImageCheckRunner
{
    private const int ReadBuffer = 1 << 16;

    /// <summary>Where a failed <see cref="BuildRequest.ExpectedImageId"/> is reported.</summary>
    private static readonly SourcePosition ExpectedIdOrigin = SourcePosition.StartOf("expected-image-id");

    public static void Run(IReadOnlyList<ImageCheck> checks, LowerLayerIndex? merged, ContainerConfig config, Digest imageId, Digest? expected)
    {
        var diagnostics = DiagnosticBag.Findings();
        foreach (var check in checks)
        {
            switch (check)
            {
                case PathCheck path when merged is not null:
                    CheckPath(path, merged, diagnostics);
                    break;
                case ConfigCheck wanted:
                    CheckConfig(wanted, config, diagnostics);
                    break;
            }
        }

        if (expected is { } id && id != imageId)
        {
            diagnostics.Error(DiagnosticCodes.ImageIdDiffers, ExpectedIdOrigin,
                $"the image id is {imageId}, not the expected {id}: the image's content, config or history changed");
        }

        diagnostics.ThrowIfErrors();
    }

    private static void CheckPath(PathCheck check, LowerLayerIndex merged, DiagnosticBag diagnostics)
    {
        var path = check.Path.Value;
        var resolved = merged.ResolveParents(path);
        var entry = resolved.Problem is null ? merged.Get(resolved.Path) : null;
        void Fail(DiagnosticCode code, string message) => diagnostics.Error(code, check.Position, $"check of {path}: {message}");

        if (check.Exists == false)
        {
            if (entry is not null)
            {
                Fail(DiagnosticCodes.CheckedPathPresent, $"it exists (a {LowerLayerIndex.Describe(entry.Kind)}), but the check says it must not");
            }

            return;
        }

        if (entry is null)
        {
            Fail(DiagnosticCodes.CheckedPathMissing, "the image has no such path");
            return;
        }

        var kind = entry.Kind == EntryKind.Hardlink ? EntryKind.File : entry.Kind;
        if (check.Type is { } type && KindOf(type) != kind)
        {
            Fail(DiagnosticCodes.CheckedTypeDiffers, $"it is a {LowerLayerIndex.Describe(kind)}, not a {LowerLayerIndex.Describe(KindOf(type))}");
        }

        if (check.Mode is { } mode && (entry.Mode & Permissions.Mask) != mode)
        {
            Fail(DiagnosticCodes.CheckedModeDiffers, $"its mode is {Octal(entry.Mode & Permissions.Mask)}, not {Octal(mode)}");
        }

        if (check.Owner is { } ownerSpec)
        {
            var owner = new OwnerResolver(merged, diagnostics).Resolve(ownerSpec);
            if (owner != entry.Owner)
            {
                Fail(DiagnosticCodes.CheckedOwnerDiffers, $"its owner is {entry.Owner.Uid}:{entry.Owner.Gid}, not {owner.Uid}:{owner.Gid}");
            }
        }

        if (check.Target is { } target && (kind != EntryKind.Symlink || entry.LinkTarget != target))
        {
            Fail(DiagnosticCodes.CheckedTargetDiffers, kind == EntryKind.Symlink
                ? $"the symlink points at '{entry.LinkTarget}', not '{target}'"
                : $"it is a {LowerLayerIndex.Describe(kind)}, not a symlink to '{target}'");
        }

        var asksContent = check.Size is not null || check.Sha256 is not null || check.Contains is not null;
        if (!asksContent)
        {
            return;
        }

        if (kind != EntryKind.File)
        {
            Fail(DiagnosticCodes.CheckedTypeDiffers, $"size, sha256 and contains check a regular file's content, but it is a {LowerLayerIndex.Describe(kind)}");
            return;
        }

        if (check.Size is { } size && entry.Size != size)
        {
            Fail(DiagnosticCodes.CheckedSizeDiffers, $"it is {entry.Size} bytes, not {size}");
        }

        if (check.Sha256 is null && check.Contains is null)
        {
            return;
        }

        var (digest, found) = Read(entry, check.Contains is { } text ? Encoding.UTF8.GetBytes(text) : null);
        if (check.Sha256 is { } wanted && digest != wanted)
        {
            Fail(DiagnosticCodes.CheckedDigestDiffers, $"its content is {digest}, not {wanted}");
        }

        if (check.Contains is { } needle && !found)
        {
            Fail(DiagnosticCodes.CheckedTextMissing, $"its content does not contain '{needle}'");
        }
    }

    /// <summary>The content's sha256 and whether it holds <paramref name="needle"/>, in one streaming pass.</summary>
    private static (Digest Digest, bool Found) Read(LayerEntry entry, byte[]? needle)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var found = needle is null || needle.Length == 0;
        var keep = needle is null ? 0 : Math.Max(0, needle.Length - 1);
        var buffer = new byte[keep + ReadBuffer];
        var carried = 0;
        using (var content = entry.Content?.Open() ?? Stream.Null)
        {
            var left = entry.Size;
            while (left > 0)
            {
                var read = content.Read(buffer, carried, (int)Math.Min(ReadBuffer, left));
                if (read == 0)
                {
                    break;
                }

                left -= read;
                hash.AppendData(buffer, carried, read);
                var window = buffer.AsSpan(0, carried + read);
                found = found || window.IndexOf(needle) >= 0;

                // The last needle-length-minus-one bytes may start a match that the next read completes.
                carried = Math.Min(keep, window.Length);
                window[^carried..].CopyTo(buffer);
            }
        }

        return (Digest.FromHashBytes(hash.GetHashAndReset()), found);
    }

    private static void CheckConfig(ConfigCheck check, ContainerConfig config, DiagnosticBag diagnostics)
    {
        void Fail(string message) => diagnostics.Error(DiagnosticCodes.CheckedConfigDiffers, check.Position, $"config check: {message}");
        static string Shown(IReadOnlyList<string>? list) => list is null ? "not set" : "[" + string.Join(", ", list.Select(a => $"\"{a}\"")) + "]";

        if (check.User is { } user && (config.User ?? "") != user)
        {
            Fail($"User is '{config.User}', not '{user}'");
        }

        if (check.Entrypoint is { } entrypoint && !(config.Entrypoint ?? []).SequenceEqual(entrypoint, StringComparer.Ordinal))
        {
            Fail($"Entrypoint is {Shown(config.Entrypoint)}, not {Shown(entrypoint)}");
        }

        if (check.Cmd is { } cmd && !(config.Cmd ?? []).SequenceEqual(cmd, StringComparer.Ordinal))
        {
            Fail($"Cmd is {Shown(config.Cmd)}, not {Shown(cmd)}");
        }

        if (check.WorkingDir is { } workdir && (config.WorkingDir ?? "") != workdir)
        {
            Fail($"WorkingDir is '{config.WorkingDir}', not '{workdir}'");
        }

        foreach (var (name, value) in check.Env)
        {
            var set = config.Env.LastOrDefault(e => e.StartsWith(name + "=", StringComparison.Ordinal));
            if (set != name + "=" + value)
            {
                Fail(set is null ? $"Env has no {name}, expected {name}={value}" : $"Env has {set}, not {name}={value}");
            }
        }

        foreach (var (name, value) in check.Labels)
        {
            if (!config.Labels.TryGetValue(name, out var actual) || actual != value)
            {
                Fail(actual is null ? $"label {name} is not set, expected '{value}'" : $"label {name} is '{actual}', not '{value}'");
            }
        }
    }

    private static EntryKind KindOf(ImageEntryType type) => type switch
    {
        ImageEntryType.File => EntryKind.File,
        ImageEntryType.Directory => EntryKind.Directory,
        ImageEntryType.Symlink => EntryKind.Symlink,
        ImageEntryType.CharDevice => EntryKind.CharDevice,
        ImageEntryType.BlockDevice => EntryKind.BlockDevice,
        _ => EntryKind.Fifo,
    };

    private static string Octal(int mode) => "0" + Convert.ToString(mode, 8).PadLeft(3, '0');
}
