using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// Copies a byte range between two files. On Linux this is copy_file_range(2): the kernel moves the
/// pages (or shares blocks where the file system can), so a staged layer reaches the archive without
/// passing through this process. Elsewhere, or where the kernel refuses, it falls back to read/write.
/// </summary>
internal static partial class FileCopy
{
    private const int ChunkSize = 1 << 30;

    public static void Copy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long length)
    {
        if (OperatingSystem.IsLinux() && TryKernelCopy(source, sourceOffset, target, targetOffset, length))
        {
            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (length > 0)
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length)), sourceOffset);
                if (read == 0)
                {
                    throw new EndOfStreamException("the source file ended before the range was copied");
                }

                RandomAccess.Write(target, buffer.AsSpan(0, read), targetOffset);
                sourceOffset += read;
                targetOffset += read;
                length -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryKernelCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long length)
    {
        var inOffset = sourceOffset;
        var outOffset = targetOffset;
        var remaining = length;
        while (remaining > 0)
        {
            var copied = CopyFileRange((int)source.DangerousGetHandle(), ref inOffset, (int)target.DangerousGetHandle(), ref outOffset, (nuint)Math.Min(remaining, ChunkSize), 0);
            if (copied < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (remaining == length && errno is 38 or 18 or 22 or 95 or 1)
                {
                    return false; // ENOSYS, EXDEV, EINVAL, EOPNOTSUPP, EPERM: not possible here, copy by hand
                }

                throw new IOException($"copy_file_range failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            if (copied == 0)
            {
                throw new EndOfStreamException("the source file ended before the range was copied");
            }

            remaining -= copied;
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(int fdIn, ref long offIn, int fdOut, ref long offOut, nuint len, uint flags);
}
