namespace LayerBuilder.FileSystem;

/// <summary>Which exceptions of writing a file mean the file could not be written (as opposed to a bug).</summary>
internal static class WriteFailures
{
    /// <summary>I/O, permission, or a write past the file size limit (EFBIG, which the runtime reports as
    /// an out-of-range length).</summary>
    public static bool IsWriteFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException { ParamName: "value" };
}
