using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Reads tars with SharpZipLib, not with anything from LayerBuilder, so a mistake in the project's
/// writer cannot be mirrored by the reader that checks it.
/// </summary>
public static class TarMembers
{
    public static List<TarMember> Read(byte[] tar) => Read(new MemoryStream(tar, writable: false));

    public static List<TarMember> ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    public static List<TarMember> Read(Stream tar)
    {
        var members = new List<TarMember>();
        using var input = new TarInputStream(tar, Encoding.UTF8) { IsStreamOwner = false };
        while (input.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            input.CopyEntryContents(content);
            members.Add(new TarMember(
                entry.Name,
                (char)entry.TarHeader.TypeFlag,
                entry.TarHeader.Mode & 0xFFF,
                entry.UserId,
                entry.GroupId,
                entry.UserName,
                entry.GroupName,
                entry.TarHeader.LinkName,
                new DateTimeOffset(DateTime.SpecifyKind(entry.ModTime, DateTimeKind.Utc)).ToUnixTimeSeconds(),
                entry.Size,
                content.ToArray()));
        }

        return members;
    }
}
