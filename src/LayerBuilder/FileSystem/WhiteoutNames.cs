namespace LayerBuilder.FileSystem;

/// <summary>
/// The names a layer reads as whiteouts (OCI image spec, "Whiteouts"): <c>.wh.NAME</c> deletes NAME from
/// the layers below, <c>.wh..wh..opq</c> empties its folder. Only a <c>remove</c> step writes them; an
/// entry of any other input under such a name would delete files instead of being one, so it is refused.
/// </summary>
internal static class WhiteoutNames
{
    /// <summary>The prefix of every whiteout name, the opaque marker's included.</summary>
    public const string Prefix = ".wh.";

    /// <summary>The marker that makes its folder opaque: nothing of the lower layers shows through.</summary>
    public const string Opaque = ".wh..wh..opq";

    /// <summary>The prefix of the names the whiteout convention keeps for itself (<c>.wh..wh.*</c>): metadata, not deletions.</summary>
    public const string Reserved = ".wh..wh.";

    /// <summary>The whiteout of <paramref name="name"/>.</summary>
    public static string Of(string name) => Prefix + name;

    /// <summary>Whether one path component is a whiteout name.</summary>
    public static bool IsWhiteout(ReadOnlySpan<char> name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The first component of <paramref name="path"/> that is a whiteout name, or null.</summary>
    public static string? FirstIn(ImagePath path)
    {
        // Every component follows a '/', so one search finds the first whiteout component.
        var at = path.Value.IndexOf("/" + Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var component = path.Value.AsSpan(at + 1);
        var end = component.IndexOf('/');
        return (end < 0 ? component : component[..end]).ToString();
    }
}
