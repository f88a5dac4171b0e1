using System.Formats.Tar;

namespace LayerBuilder.FileSystem;

/// <summary>
/// A file inside a layer tar that LayerBuilder did not write itself (a base image's layer). Opening it
/// scans the tar for the member; that happens only for the rare reads of lower content (a hardlink
/// copy-up, /etc/passwd), so nothing is indexed or kept in memory for it.
/// </summary>
public sealed record TarMemberContent(string LayerFile, string MemberName, long Length) : ContentSource(Length)
{
    public override Stream Open()
    {
        var reader = new TarReader(File.OpenRead(LayerFile), leaveOpen: false);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (ImagePath.TryNormalize("/" + entry.Name, out var path) && path.TarName == MemberName)
            {
                return new BorrowedStream(entry.DataStream ?? Stream.Null, owner: reader);
            }
        }

        reader.Dispose();
        throw new FileNotFoundException($"{MemberName} is no longer in {LayerFile}");
    }
}
