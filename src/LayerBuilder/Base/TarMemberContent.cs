using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>
/// A file inside a layer tar that LayerBuilder did not write itself (a base image's layer). Opening it
/// scans the tar for the member; that happens only for the rare reads of lower content (a hardlink
/// copy-up, /etc/passwd), so nothing is indexed or kept in memory for it. The scan goes through the
/// same checks as every tar input; the layer was indexed through them already, so they do not fail here.
/// </summary>
internal sealed record TarMemberContent(string LayerFile, string MemberName, long Length) : ContentSource(Length)
{
    public override Stream Open()
    {
        var reader = TarInputReader.Open(TarInputSource.BaseLayer(LayerFile, $"'{LayerFile}'", SourcePosition.StartOf(LayerFile)));
        while (reader.Next() is { } entry)
        {
            if (ImagePath.TryNormalize("/" + reader.NameOf(entry), out var path) && path.TarName == MemberName)
            {
                return new BorrowedStream(entry.DataStream ?? Stream.Null, owner: reader);
            }
        }

        reader.Dispose();
        throw new FileNotFoundException($"{MemberName} is no longer in {LayerFile}");
    }
}
