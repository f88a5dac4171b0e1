using System.Runtime.InteropServices;

namespace LayerBuilder.FileSystem;

/// <summary>
/// A host file's extended attributes, read with llistxattr(2) and lgetxattr(2) (the file itself, not a
/// symlink's target), for <c>copy</c> with <c>preserveXattrs</c>. Values are bytes, exactly as stored.
/// </summary>
internal static unsafe partial class HostXattrs
{
    private const int NotSupported = 95; // EOPNOTSUPP: the file system keeps none
    private const int NoAttribute = 61; // ENODATA: removed between list and get
    private const int TooSmall = 34; // ERANGE: grew between the size query and the read

    /// <summary>The attributes of <paramref name="path"/> by name, or null when it has none.</summary>
    /// <exception cref="IOException">The host refused to list or read them.</exception>
    public static SortedDictionary<string, byte[]>? Read(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new IOException("preserveXattrs reads extended attributes with Linux system calls; this host is not Linux");
        }

        var names = Query(size => Native.ListXattr(path, size.Pointer, size.Length), path, "list");
        if (names is null || names.Length == 0)
        {
            return null;
        }

        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in TarText.GetString(names).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = Query(size => Native.GetXattr(path, name, size.Pointer, size.Length), path, name);
            if (value is not null)
            {
                result[name] = value;
            }
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>Asks for the size, then the bytes, again if they grew in between; null for "none".</summary>
    private static byte[]? Query(Func<Buffer, nint> call, string path, string what)
    {
        while (true)
        {
            var size = call(new Buffer(null, 0));
            if (size < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error is NotSupported or NoAttribute ? null : throw Failure(path, what, error);
            }

            var bytes = new byte[size];
            fixed (byte* pointer = bytes)
            {
                var read = call(new Buffer(pointer, (nuint)bytes.Length));
                if (read >= 0)
                {
                    return bytes[..(int)read];
                }

                var error = Marshal.GetLastPInvokeError();
                if (error != TooSmall)
                {
                    return error is NotSupported or NoAttribute ? null : throw Failure(path, what, error);
                }
            }
        }
    }

    private static IOException Failure(string path, string what, int error) =>
        new($"cannot read extended attributes ({what}) of '{path}': {Marshal.GetPInvokeErrorMessage(error)}");

    private readonly struct Buffer(byte* pointer, nuint length)
    {
        public byte* Pointer { get; } = pointer;

        public nuint Length { get; } = length;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint ListXattr(string path, byte* list, nuint size);

        [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint GetXattr(string path, string name, byte* value, nuint size);
    }
}
