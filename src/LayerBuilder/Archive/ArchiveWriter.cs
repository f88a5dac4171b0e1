using System.Buffers;
using System.IO.Compression;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Archive;

/// <summary>
/// Writes the outer save-format tar laid out by <see cref="ArchiveLayout"/>: regular files only,
/// sorted by name, fixed metadata (0644, 0:0, mtime = the image's created time), no root or folder
/// entries, no duplicates. A file output is written under a temporary name beside it and renamed into
/// place, so a failed or cancelled build leaves nothing at the output path.
/// </summary>
internal static class ArchiveWriter
{
    public static IReadOnlyList<ArchiveMember> Members(ImageModel image, ArchiveFormat format) => format switch
    {
        ArchiveFormat.Docker => DockerArchiveLayout.Members(image),
        ArchiveFormat.Oci => OciArchiveLayout.Members(image),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Writes to <paramref name="path"/> atomically; a name ending in .gz gzips the whole archive.
    /// Returns what the file renamed into place is (see <see cref="ArchiveFile.Commit"/>).</summary>
    public static async Task<HostFileInfo> WriteFileAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, string path, CancellationToken cancellationToken)
    {
        if (IsGzipName(path))
        {
            return await WriteGzipFileAsync(image, format, members, path, cancellationToken).ConfigureAwait(false);
        }

        using var file = ArchiveFile.Create(path);
        return await WriteFileAsync(image, format, members, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes into <paramref name="file"/>, which may already hold the image's one layer in its
    /// place (<see cref="ArchiveLayout"/>), and commits it.</summary>
    public static async Task<HostFileInfo> WriteFileAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, ArchiveFile file, CancellationToken cancellationToken)
    {
        try
        {
            await WriteMembersAsync(image, format, members, file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (WriteFailures.IsWriteFailure(e))
        {
            throw ArchiveFile.NotWritable(file.OutputPath, e);
        }

        return Commit(file);
    }

    /// <summary>
    /// Writes a plain (not gzipped) archive to <paramref name="path"/> while <paramref name="layersChecked"/>
    /// runs, and renames it into place only when that check says the layers copied were sound; otherwise
    /// (or when the copy failed and the check found why) deletes it and returns null, and the caller writes
    /// again with the layers the check made. A copy failure the check does not explain is thrown as ever.
    /// </summary>
    public static async Task<HostFileInfo?> WriteFileWhileCheckedAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, string path, Task<bool> layersChecked, CancellationToken cancellationToken)
    {
        using var file = ArchiveFile.Create(path);
        try
        {
            await WriteMembersAsync(image, format, members, file, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The check is cancelled with it; it is never left to fail unobserved.
            _ = layersChecked.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw;
        }
        catch (Exception e)
        {
            // A damaged cached layer may have failed the copy (it got shorter); then the check says so.
            if (!await layersChecked.ConfigureAwait(false))
            {
                return null;
            }

            if (WriteFailures.IsWriteFailure(e))
            {
                throw ArchiveFile.NotWritable(file.OutputPath, e);
            }

            throw;
        }

        return await layersChecked.ConfigureAwait(false) ? Commit(file) : null;
    }

    /// <summary>Every member of the archive into <paramref name="file"/>, on the thread pool (the copies block).</summary>
    private static Task WriteMembersAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, ArchiveFile file, CancellationToken cancellationToken) =>
        Task.Run(() => WriteFile(ArchiveLayout.For(image, format, members), file, cancellationToken), cancellationToken);

    /// <summary>Renames the finished archive into place (<see cref="ArchiveFile.Commit"/>); a failure there is LB3001.</summary>
    private static HostFileInfo Commit(ArchiveFile file)
    {
        try
        {
            return file.Commit();
        }
        catch (Exception e) when (WriteFailures.IsWriteFailure(e))
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
            switch (member)
            {
                case MetadataMember metadata:
                    RandomAccess.Write(output, metadata.Content.Span, placed.DataOffset);
                    break;
                case LayerMember { Blob: LayerBlob own }:
                    own.CopyInto(output, placed.DataOffset, cancellationToken);
                    break;
                case LayerMember other:
                    CopyForeignLayer(other, output, placed.DataOffset, cancellationToken);
                    break;
            }

            RandomAccess.Write(output, zeros[..Padding(member.Length)], placed.DataOffset + member.Length);
        }

        RandomAccess.Write(output, zeros, layout.Length - zeros.Length);
    }

    /// <summary>Writes the archive to a stream, byte for byte what <see cref="WriteFileAsync(ImageModel, ArchiveFormat, IArchiveMembers, string, CancellationToken)"/> writes.</summary>
    public static async Task WriteAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, Stream output, CancellationToken cancellationToken)
    {
        var layout = ArchiveLayout.For(image, format, members);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var zeros = new byte[TarHeaderWriter.BlockSize * 2];
        try
        {
            foreach (var placed in layout.Members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var member = placed.Member;
                await output.WriteAsync(placed.Header, cancellationToken).ConfigureAwait(false);
                switch (member)
                {
                    case MetadataMember metadata:
                        await output.WriteAsync(metadata.Content, cancellationToken).ConfigureAwait(false);
                        break;
                    case LayerMember layer:
                        await CopyLayerAsync(layer, output, buffer, cancellationToken).ConfigureAwait(false);
                        break;
                }

                await output.WriteAsync(zeros.AsMemory(0, Padding(member.Length)), cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(zeros, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A layer of another kind than LayerBuilder's own (a caller's <see cref="ILayer"/>): its bytes
    /// come through its stream.</summary>
    private static void CopyForeignLayer(LayerMember member, Microsoft.Win32.SafeHandles.SafeFileHandle output, long offset, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            // The file writer runs on a thread of its own (Task.Run), so waiting here blocks no caller.
            using var input = member.Blob.OpenBlobAsync(cancellationToken).GetAwaiter().GetResult();
            long done = 0;
            while (done < member.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, member.Length - done));
                if (read == 0)
                {
                    throw new IOException($"{member.Name} ended early while the archive was written");
                }

                RandomAccess.Write(output, buffer.AsSpan(0, read), offset + done);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies exactly the layer's bytes; a blob that ends early is an I/O failure, never a short archive.</summary>
    private static async Task CopyLayerAsync(LayerMember member, Stream output, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var input = await member.Blob.OpenBlobAsync(cancellationToken).ConfigureAwait(false);
        var remaining = member.Length;
        while (remaining > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{member.Name} ended early while the archive was written");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            remaining -= read;
        }
    }

    private static async Task<HostFileInfo> WriteGzipFileAsync(ImageModel image, ArchiveFormat format, IArchiveMembers members, string path, CancellationToken cancellationToken)
    {
        using var file = ArchiveFile.Create(path);
        FileStream? stream = null;
        var committed = false;
        try
        {
            // The stream writes through the archive file's handle; the archive file renames and closes it.
            stream = new FileStream(file.Handle, FileAccess.ReadWrite, 1 << 16);

            // .NET's gzip header carries no time or name, so the bytes reproduce with the same zlib.
            await using (var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true))
            {
                await WriteAsync(image, format, members, gzip, cancellationToken).ConfigureAwait(false);
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            var written = file.Commit();
            committed = true;
            return written;
        }
        catch (Exception e) when (WriteFailures.IsWriteFailure(e))
        {
            throw ArchiveFile.NotWritable(file.OutputPath, e);
        }
        finally
        {
            if (stream is not null)
            {
                await DisposeQuietlyAsync(stream, committed).ConfigureAwait(false);
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
        catch (Exception e) when (!renamed && WriteFailures.IsWriteFailure(e))
        {
            // the write failure already being reported is the news
        }
    }

    private static int Padding(long size) => TarHeaderWriter.PaddingLength(size);

}
