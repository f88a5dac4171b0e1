using System.Text.Json;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>The words and fields the commands use for a layer entry and a filesystem entry, in text and
/// in JSON (docs/commands.md): one spelling for both, and the recipe's words for kinds.</summary>
internal static class EntryText
{
    public static string Kind(LayerEntryKind kind) => kind switch
    {
        LayerEntryKind.File => "file",
        LayerEntryKind.Directory => "dir",
        LayerEntryKind.Symlink => "symlink",
        LayerEntryKind.HardLink => "hardlink",
        LayerEntryKind.CharacterDevice => "char",
        LayerEntryKind.BlockDevice => "block",
        LayerEntryKind.Fifo => "fifo",
        LayerEntryKind.Whiteout => "whiteout",
        LayerEntryKind.OpaqueWhiteout => "opaque",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Four octal digits: <c>0755</c>, <c>4755</c>.</summary>
    public static string Mode(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private static bool IsDevice(LayerEntryKind kind) => kind is LayerEntryKind.CharacterDevice or LayerEntryKind.BlockDevice;

    /// <summary>One line: kind, mode, owner, size, path, and what the kind adds.</summary>
    public static string Line(LayerEntryInfo entry) =>
        Line(entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.Path, entry.LinkTarget, entry.DeviceMajor, entry.DeviceMinor, entry.Xattrs.Keys, null)
        + (entry.WhiteoutTarget is { } target ? $" (removes {target})" : "");

    public static string Line(FileSystemEntry entry) =>
        Line(entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.Path, entry.LinkTarget, entry.DeviceMajor, entry.DeviceMinor, entry.Xattrs.Keys, entry.ContentDigest?.ToString());

    public static void Write(Utf8JsonWriter json, LayerEntryInfo entry)
    {
        json.WriteStartObject();
        WriteCommon(json, entry.Path, entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.LinkTarget, entry.DeviceMajor, entry.DeviceMinor, entry.Xattrs.Keys);
        if (entry.WhiteoutTarget is { } target)
        {
            json.WriteString("removes", target);
        }

        json.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter json, FileSystemEntry entry)
    {
        json.WriteStartObject();
        WriteCommon(json, entry.Path, entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.LinkTarget, entry.DeviceMajor, entry.DeviceMinor, entry.Xattrs.Keys);
        if (entry.ContentDigest is { } digest)
        {
            json.WriteString("sha256", digest.ToString());
        }

        json.WriteNumber("layer", entry.Layer);
        json.WriteEndObject();
    }

    private static void WriteCommon(Utf8JsonWriter json, string path, LayerEntryKind kind, UnixFileMode mode, int uid, int gid, long size, string? link, int major, int minor, IEnumerable<string> xattrs)
    {
        json.WriteString("path", path);
        json.WriteString("type", Kind(kind));
        json.WriteString("mode", Mode(mode));
        json.WriteNumber("uid", uid);
        json.WriteNumber("gid", gid);
        json.WriteNumber("size", size);
        if (link is not null)
        {
            json.WriteString("linkTarget", link);
        }

        if (IsDevice(kind))
        {
            json.WriteNumber("major", major);
            json.WriteNumber("minor", minor);
        }

        json.WriteStartArray("xattrs");
        foreach (var name in xattrs.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
    }

    private static string Line(LayerEntryKind kind, UnixFileMode mode, int uid, int gid, long size, string path, string? link, int major, int minor, IEnumerable<string> xattrs, string? digest)
    {
        var line = $"{Kind(kind),-8} {Mode(mode)} {uid}:{gid} {size,12} {path}";
        if (link is not null)
        {
            line += kind == LayerEntryKind.HardLink ? $" => {link}" : $" -> {link}";
        }

        if (IsDevice(kind))
        {
            line += $" ({major},{minor})";
        }

        var names = xattrs.Order(StringComparer.Ordinal).ToList();
        if (names.Count > 0)
        {
            line += $" [xattrs: {string.Join(", ", names)}]";
        }

        return digest is null ? line : $"{line} {digest}";
    }
}
