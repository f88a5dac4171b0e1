using System.Buffers;
using System.IO.Compression;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Archive;

/// <summary>
/// Writes the outer save-format tar: regular files only, sorted by name, fixed metadata (0644, 0:0,
/// mtime = the image's created time), no root or folder entries, no duplicates. A file output is
/// written under a temporary name beside it and renamed into place, so a failed or cancelled build
/// leaves nothing at the output path.
/// </summary>
public static class ArchiveWriter
{
    public static IReadOnlyList<ArchiveMember> Members(ImageModel image, ArchiveFormat format) => format switch
    {
        ArchiveFormat.Docker => DockerArchiveLayout.Members(image),
        ArchiveFormat.Oci => OciArchiveLayout.Members(image),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Writes the archive to a file by offsets: staged layers are copied by the kernel
    /// (copy_file_range), never through this process's memory.</summary>
    private static void WriteFile(ImageModel image, ArchiveFormat format, string path, CancellationToken cancellationToken)
    {
        using var output = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var mtime = image.Config.Created.ToUnixTimeSeconds();
        long offset = 0;
        using var header = new MemoryStream();
        foreach (var member in Sorted(image, format))
        {
            cancellationToken.ThrowIfCancellationRequested();
            header.SetLength(0);
            TarHeaderWriter.WriteHeader(header, Entry(member, mtime));
            offset = WriteBytes(output, header.GetBuffer().AsSpan(0, (int)header.Length), offset);
            switch (member.Content)
            {
                case InlineContent inline:
                    offset = WriteBytes(output, inline.Bytes.Span, offset);
                    break;
                case HostFileContent file:
                    using (var source = File.OpenHandle(file.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read))
                    {
                        if (RandomAccess.GetLength(source) != file.Length)
                        {
                            throw new IOException($"{file.HostPath} changed size while the archive was written");
                        }

                        if (member.Verify is { } expected)
                        {
                            CopyVerified(source, output, offset, file, expected);
                        }
                        else
                        {
                            FileCopy.Copy(source, 0, output, offset, file.Length);
                        }
                    }

                    offset += file.Length;
                    break;
                default:
                    throw new InvalidOperationException($"archive member {member.Name} has content of an unexpected kind");
            }

            header.SetLength(0);
            TarHeaderWriter.WritePadding(header, member.Content.Length);
            offset = WriteBytes(output, header.GetBuffer().AsSpan(0, (int)header.Length), offset);
        }

        header.SetLength(0);
        TarHeaderWriter.WriteEnd(header);
        WriteBytes(output, header.GetBuffer().AsSpan(0, (int)header.Length), offset);
    }

    /// <summary>Copies through this process, hashing, so a cached layer that rotted is never shipped.</summary>
    private static void CopyVerified(Microsoft.Win32.SafeHandles.SafeFileHandle source, Microsoft.Win32.SafeHandles.SafeFileHandle output, long offset, HostFileContent file, Digest expected)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long done = 0;
            while (done < file.Length)
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, file.Length - done)), done);
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

    private static long WriteBytes(Microsoft.Win32.SafeHandles.SafeFileHandle output, ReadOnlySpan<byte> bytes, long offset)
    {
        RandomAccess.Write(output, bytes, offset);
        return offset + bytes.Length;
    }

    private static IEnumerable<ArchiveMember> Sorted(ImageModel image, ArchiveFormat format) =>
        Members(image, format).OrderBy(m => m.Name, StringComparer.Ordinal);

    private static LayerEntry Entry(ArchiveMember member, long mtime) => new()
    {
        Path = ImagePath.Parse("/" + member.Name),
        Kind = EntryKind.File,
        Mode = Permissions.DefaultFile,
        ModifiedTime = mtime,
        Content = member.Content,
    };

    public static async Task WriteAsync(ImageModel image, ArchiveFormat format, Stream output, CancellationToken cancellationToken)
    {
        var members = Sorted(image, format).ToList();
        var mtime = image.Config.Created.ToUnixTimeSeconds();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            foreach (var member in members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TarHeaderWriter.WriteHeader(output, Entry(member, mtime));
                using var hash = member.Verify is null ? null : System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                await using (var input = member.Content.Open())
                {
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
                    throw new CorruptLayerException(member.Name, expected, actual);
                }

                TarHeaderWriter.WritePadding(output, member.Content.Length);
            }

            TarHeaderWriter.WriteEnd(output);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes to <paramref name="path"/> atomically; a name ending in .gz gzips the whole archive.</summary>
    public static async Task WriteFileAsync(ImageModel image, ArchiveFormat format, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(folder);
            if (full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
            {
                await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

                // .NET's gzip header carries no time or name, so the bytes reproduce with the same zlib.
                await using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
                await WriteAsync(image, format, gzip, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Run(() => WriteFile(image, format, temp, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is (IOException and not CorruptLayerException) or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new LayerBuildException(DiagnosticCodes.OutputNotWritable, SourcePosition.StartOf(path), $"cannot write the archive '{path}': {e.Message}");
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
