using System.Text.Json;
using LayerBuilder.Testing;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Python's tarfile as an independent reader of tar bytes the product wrote (the product reads tars with
/// System.Formats.Tar and writes them with its own encoder; neither is used here).
/// </summary>
public static class PythonTarfile
{
    private const string Script = """
        import io, json, sys, tarfile
        data = open(sys.argv[1], "rb").read()
        member = tarfile.open(fileobj=io.BytesIO(data), mode="r:", format=tarfile.PAX_FORMAT).next()
        print(json.dumps({
            "name": member.name, "type": member.type.decode(), "size": member.size, "mode": member.mode,
            "uid": member.uid, "gid": member.gid, "mtime": int(member.mtime), "linkname": member.linkname,
            "devmajor": member.devmajor, "devminor": member.devminor, "uname": member.uname, "gname": member.gname,
            "pax": sorted(member.pax_headers.keys()),
        }))
        """;

    /// <summary>The first member of <paramref name="tar"/> as Python sees it: name, type, size, mode, ids, times, links, PAX keys.</summary>
    public static JsonElement FirstMember(byte[] tar)
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("headers.tar", tar);
        var result = ProcessRunner.RunCheckedAsync("python3", ["-c", Script, path]).GetAwaiter().GetResult();
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
