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

    private const string MembersScript = """
        import json, sys, tarfile
        with tarfile.open(sys.argv[1], "r:") as tar:
            print(json.dumps([{"name": m.name, "offset": m.offset, "dataOffset": m.offset_data, "size": m.size} for m in tar.getmembers()]))
        """;

    /// <summary>Every member of the tar file at <paramref name="path"/>: name, header offset, data offset and size.</summary>
    public static IReadOnlyList<(string Name, long Offset, long DataOffset, long Size)> Members(string path)
    {
        var result = ProcessRunner.RunCheckedAsync("python3", ["-c", MembersScript, path]).GetAwaiter().GetResult();
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray()
            .Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("offset").GetInt64(), m.GetProperty("dataOffset").GetInt64(), m.GetProperty("size").GetInt64()))
            .ToList();
    }

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
