using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Archive;

/// <summary>
/// Writes the outer save-format tar laid out by <see cref="ArchiveLayout"/>: regular files only,
/// sorted by name, fixed metadata (0644, 0:0, mtime = the image's created time), no root or folder
/// entries, no duplicates. A file output is written under a temporary name beside it and renamed into
/// place, so a failed or cancelled build leaves nothing at the output path.
/// </summary>
public static class ArchiveWriter
{
    public static IReadOnlyList<ArchiveMember> Members(ImageModel image, ArchiveFormat format) => format switch
    {
        ArchiveFormat.Docker => DockerArchiveLayout.Members(image),
        ArchiveFormat.Oci => OciArchiveLayout.Members(image),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Writes to <paramref name="path"/> atomically; a name ending in .gz gzips the whole archive.
    /// Returns what the file renamed into place is (see <see cref="ArchiveFile.Commit"/>).</summary>
    public static async Task<HostFileInfo> WriteFileAsync(ImageModel image, ArchiveFormat format, string path, CancellationToken cancellationToken)
    {
        if (IsGzipName(path))
        {
            return await WriteGzipFileAsync(image, format, path, cancellationToken).ConfigureAwait(false);
        }

        using var file = ArchiveFile.Create(path);
        return await WriteFileAsync(image, format, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes into <paramref name="file"/>, which may already hold the image's one layer in its
    /// place (<see cref="ArchiveLayout"/>), and commits it.</summary>
    public static async Task<HostFileInfo> WriteFileAsync(ImageModel image, ArchiveFormat format, ArchiveFile file, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => WriteFile(ArchiveLayout.For(image, format), file, cancellationToken), cancellationToken).ConfigureAwait(false);
            return file.Commit();
        }
        catch (Exception e) when (ArchiveFile.IsWriteFailure(e))
        {
            throw ArchiveFile.NotWritable(file.OutputPath, e);
        }
    }

    public static bool IsGzipName(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the archive to a file by offsets: layers on disk are copied by the kernel
    /// (copy_file_range), never through this process's memory, and one already in place is left alone.</summary>
    private static void WriteFile(ArchiveLayout layout, ArchiveFile file, CancellationToken cancellationToken)
    {
        var output = file.Handle;
        Span<byte> zeros = stackalloc byte[TarHeaderWriter.BlockSize * 2];
        zeros.Clear();
        foreach (var placed in layout.Members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var member = placed.Member;
            RandomAccess.Write(output, placed.Header, placed.HeaderOffset);
            switch (member.Content)
            {
                case InlineContent inline:
                    RandomAccess.Write(output, inline.Bytes.Span, placed.DataOffset);
                    break;
                case HostFileContent source when source.HostPath == file.TempPath:
                    if (member.SourceOffset != placed.DataOffset)
                    {
                        throw new InvalidOperationException($"{member.Name} was written at {member.SourceOffset}, but belongs at {placed.DataOffset}");
                    }

                    break; // written here while it was built
                case HostFileContent source:
                    CopyIn(source, member, output, placed.DataOffset);
                    break;
                default:
                    throw new InvalidOperationException($"archive member {member.Name} has content of an unexpected kind");
            }

            var pad = Padding(member.Content.Length);
            RandomAccess.Write(output, zeros[..pad], placed.DataOffset + member.Content.Length);
        }

        RandomAccess.Write(output, zeros, layout.Length - zeros.Length);
    }

    private static void CopyIn(HostFileContent file, ArchiveMember member, SafeFileHandle output, long offset)
    {
        using var source = File.OpenHandle(file.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RandomAccess.GetLength(source) < member.SourceOffset + file.Length)
        {
            throw new IOException($"{file.HostPath} changed size while the archive was written");
        }

        if (member.Verify is { } expected)
        {
            CopyVerified(source, member.SourceOffset, output, offset, file, expected);
        }
        else
        {
            FileCopy.Copy(source, member.SourceOffset, output, offset, file.Length);
        }
    }

    /// <summary>Copies through this process, hashing, so a cached layer that rotted is never shipped.</summary>
    private static void CopyVerified(SafeFileHandle source, long sourceOffset, SafeFileHandle output, long offset, HostFileContent file, Digest expected)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long done = 0;
            while (done < file.Length)
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, file.Length - done)), sourceOffset + done);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                RandomAccess.Write(output, buffer.AsSpan(0, read), offset + done);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var actual = Digest.FromHashBytes(hash.GetHashAndReset());
        if (actual != expected)
        {
            throw new CorruptLayerException(file.HostPath, expected, actual);
        }
    }

    /// <summary>Writes the archive to a stream, byte for byte what <see cref="WriteFileAsync(ImageModel, ArchiveFormat, string, CancellationToken)"/> writes.</summary>
    public static async Task WriteAsync(ImageModel image, ArchiveFormat format, Stream output, CancellationToken cancellationToken)
    {
        var layout = ArchiveLayout.For(image, format);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var zeros = new byte[TarHeaderWriter.BlockSize * 2];
        try
        {
            foreach (var placed in layout.Members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var member = placed.Member;
                await output.WriteAsync(placed.Header, cancellationToken).ConfigureAwait(false);
                using var hash = member.Verify is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var input = member.Content.Open())
                {
                    if (member.SourceOffset > 0)
                    {
                        input.Position = member.SourceOffset;
                    }

                    var remaining = member.Content.Length;
                    while (remaining > 0)
                    {
                        var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            throw new IOException($"{member.Name} ended early while the archive was written");
                        }

                        hash?.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        remaining -= read;
                    }
                }

                if (hash is not null && member.Verify is { } expected && Digest.FromHashBytes(hash.GetHashAndReset()) is var actual && actual != expected)
                {
                    throw new CorruptLayerException(member.Content is HostFileContent source ? source.HostPath : member.Name, expected, actual);
                }

                await output.WriteAsync(zeros.AsMemory(0, Padding(member.Content.Length)), cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(zeros, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<HostFileInfo> WriteGzipFileAsync(ImageModel image, ArchiveFormat format, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temp = ArchiveFile.TempPathFor(full);
        FileStream? file = null;
        var renamed = false;
        try
        {
            file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            OwnerLock.Hold(file.SafeFileHandle);

            // .NET's gzip header carries no time or name, so the bytes reproduce with the same zlib.
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
            {
                await WriteAsync(image, format, gzip, cancellationToken).ConfigureAwait(false);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Renamed while still open and locked, as ArchiveFile.Commit does.
            File.Move(temp, full, overwrite: true);
            renamed = true;
            return OperatingSystem.IsLinux() ? LinuxStatx.Stat(file.SafeFileHandle, full) : HostFileInfo.Stat(full);
        }
        catch (Exception e) when (ArchiveFile.IsWriteFailure(e))
        {
            throw ArchiveFile.NotWritable(path, e);
        }
        finally
        {
            if (!renamed)
            {
                File.Delete(temp);
            }

            if (file is not null)
            {
                await DisposeQuietlyAsync(file, renamed).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closing a file whose buffered bytes cannot be flushed (a full disk) fails too; after a
    /// failure that is no news, and after a rename there is nothing left to flush.</summary>
    private static async Task DisposeQuietlyAsync(FileStream file, bool renamed)
    {
        try
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (!renamed && ArchiveFile.IsWriteFailure(e))
        {
            // the write failure already being reported is the news
        }
    }

    private static int Padding(long size) => (int)((TarHeaderWriter.BlockSize - (size % TarHeaderWriter.BlockSize)) % TarHeaderWriter.BlockSize);

}
