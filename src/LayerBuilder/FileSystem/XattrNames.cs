namespace LayerBuilder.FileSystem;

/// <summary>What Linux allows of an extended attribute (xattr(7)): a name in one of its namespaces, at
/// most 255 bytes; a value at most 64 KiB. A PAX record key also cannot hold '=' or NUL.</summary>
internal static class XattrNames
{
    /// <summary>The namespaces Linux knows; the engines fail to apply any other (Docker 25+ on <c>com.apple.*</c>).</summary>
    public static readonly string[] LinuxNamespaces = ["user.", "security.", "trusted.", "system."];

    public const int MaxNameBytes = 255; // XATTR_NAME_MAX
    public const int MaxValueBytes = 65536; // XATTR_SIZE_MAX

    public static bool IsLinux(string name) => LinuxNamespaces.Any(ns => name.StartsWith(ns, StringComparison.Ordinal));

    /// <summary>Why <paramref name="name"/> cannot be an xattr name, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (!IsLinux(name) || LinuxNamespaces.Contains(name, StringComparer.Ordinal))
        {
            return "the name needs a Linux namespace and a name in it: user.NAME, security.NAME, trusted.NAME or system.NAME";
        }

        if (name.Contains('\0') || name.Contains('='))
        {
            return "the name cannot contain NUL or '=' (a PAX record would end there)";
        }

        return TarText.GetByteCount(name) > MaxNameBytes ? $"the name is longer than {MaxNameBytes} bytes" : null;
    }
}
