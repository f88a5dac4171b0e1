using LayerBuilder.Tests.Diagnostics;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// Damaged and hostile tars (issue 13: whiteout injection, hard links to nothing, corruption, metadata
/// bombs, numbers that overflow, sparse entries) given as a base rootfs, an extract source or a base
/// image archive. Each must fail with its code at the recipe position that names the input, with
/// nothing left at the output; none may crash, hang or exit 0.
/// </summary>
public static class HostileTarTable
{
    private const string Header = "image: example/hostile\ncreated: \"2024-01-01T00:00:00Z\"\n";
    private const int OneGiB = 1 << 30;
    private const string Limit = "1048576";

    public static IEnumerable<BadInput> All()
    {
        // 1. Whiteout names from an input tar would delete lower files instead of being files.
        yield return Extract("extract of a tar holding .wh.etc", "vendor.tar", new HandTar().File("ok.txt", "fine\n").File(".wh.etc", "").ToArray(), "LB2021", "'.wh.etc'", "whiteout", "vendor.tar");
        yield return Extract("extract of a tar holding an opaque marker", "vendor.tar", new HandTar().Folder("bin/").File("bin/.wh..wh..opq", "").ToArray(), "LB2021", "'bin/.wh..wh..opq'", "whiteout");
        yield return Extract("extract of a tar with a whiteout folder in a path", "vendor.tar", new HandTar().File("a/.wh.b/c", "x").ToArray(), "LB2021", "'a/.wh.b/c'", "'.wh.b'");
        yield return Rootfs("rootfs tar holding .wh.etc", "rootfs.tar", new HandTar().Folder("etc/").File(".wh.etc", "").ToArray(), "LB2021", "'.wh.etc'", "whiteout");

        // 2. A rootfs hard link must name a file earlier in the tar.
        yield return Rootfs("rootfs hard link to a missing path", "rootfs.tar", new HandTar().File("a", "x").Hardlink("b", "missing").ToArray(), "LB2012", "hard link", "'missing'");
        yield return Rootfs("rootfs hard link to itself", "rootfs.tar", new HandTar().File("a", "x").Hardlink("b", "b").ToArray(), "LB2012", "hard link", "'b'");
        yield return Rootfs("rootfs hard link to a missing absolute path", "rootfs.tar", new HandTar().File("a", "x").Hardlink("b", "/etc/shadow").ToArray(), "LB2012", "hard link", "'/etc/shadow'");

        // 3. Damage: the compressed stream is read to its end, every header checksum is checked.
        var tar = Sample();
        yield return Rootfs("rootfs .tar.gz with a bad CRC", "rootfs.tar.gz", Compressed.Flip(Compressed.Gzip(tar), -8), "LB2023", "rootfs.tar.gz", "damaged");
        yield return Extract("extract .tar.gz with a bad CRC", "tools.tar.gz", Compressed.Flip(Compressed.Gzip(tar), -8), "LB2023", "tools.tar.gz", "damaged");
        yield return Rootfs("rootfs .tar.gz without its trailer", "rootfs.tar.gz", Compressed.Cut(Compressed.Gzip(tar), 8), "LB2023", "rootfs.tar.gz");
        yield return Rootfs("rootfs .tar.gz cut in half", "rootfs.tar.gz", Half(Compressed.Gzip(tar)), "LB2023", "rootfs.tar.gz", "cut short");
        yield return Rootfs("rootfs .tar.bz2 with a flipped byte", "rootfs.tar.bz2", Compressed.Flip(Compressed.Bzip2(tar), Compressed.Bzip2(tar).Length / 2), "LB2023", "rootfs.tar.bz2", "damaged");
        yield return Rootfs("rootfs .tar.bz2 cut short", "rootfs.tar.bz2", Compressed.Cut(Compressed.Bzip2(tar), 4), "LB2023", "rootfs.tar.bz2", "cut short");
        yield return Extract("extract .tar.bz2 cut in half", "tools.tar.bz2", Half(Compressed.Bzip2(tar)), "LB2023", "tools.tar.bz2");
        yield return Rootfs("rootfs .tar.zst with a bad checksum", "rootfs.tar.zst", Compressed.Flip(Compressed.Zstd(tar), -2), "LB2023", "rootfs.tar.zst", "damaged");
        yield return Rootfs("rootfs .tar.zst with a flipped byte", "rootfs.tar.zst", Compressed.Flip(Compressed.Zstd(tar), Compressed.Zstd(tar).Length / 2), "LB2023", "rootfs.tar.zst");
        yield return Extract("extract .tar.zst cut short", "tools.tar.zst", Compressed.Cut(Compressed.Zstd(tar), 4), "LB2023", "tools.tar.zst", "cut short");
        yield return Rootfs("rootfs tar with a bit-flipped name", "rootfs.tar", FlippedName(), "LB2023", "checksum", "rootfs.tar");
        yield return Rootfs("rootfs tar whose first header has a bad checksum", "rootfs.tar", FlippedFirst(), "LB2023", "checksum");
        yield return Extract("extract tar without its end-of-archive block", "tools.tar", new HandTar().File("a", "x").ToArray(end: false), "LB2023", "end-of-archive");
        yield return Rootfs("rootfs tar whose last file is cut short", "rootfs.tar", Compressed.Cut(new HandTar().File("a", Compressed.Noise(5000, 1)).ToArray(end: false), 1000), "LB2023", "cut short");
        yield return BaseImage("base archive whose outer tar has a bad checksum", "base.tar", FlippedName(), "LB2023", "base archive", "checksum");

        // 4. Metadata bombs: refused on the header, before a byte of them is buffered.
        yield return Rootfs("rootfs .tar.gz with a 1 GiB GNU long name", "rootfs.tar.gz", Compressed.Gzip(Bomb('L', OneGiB)), "LB2022", "GNU long name", Limit);
        yield return Rootfs("rootfs tar with a 300 MB GNU long name", "rootfs.tar", Bomb('L', 300_000_000), "LB2022", Limit);
        yield return Extract("extract .tar.gz with a 1 GiB GNU long link name", "tools.tar.gz", Compressed.Gzip(Bomb('K', OneGiB)), "LB2022", "long link name", Limit);
        yield return Extract("extract .tar.gz with a 1 GiB PAX header", "tools.tar.gz", Compressed.Gzip(Bomb('x', OneGiB)), "LB2022", "PAX extended header", Limit);
        yield return Rootfs("rootfs .tar.zst with a 1 GiB PAX global header", "rootfs.tar.zst", Compressed.Zstd(Bomb('g', OneGiB)), "LB2022", "PAX global header", Limit);
        yield return BaseImage("base archive with a 1 GiB GNU long name", "base.tar", Bomb('L', OneGiB), "LB2022", "base archive", Limit);

        // 6. Numbers that overflow their type, and entries a layer cannot hold.
        yield return Rootfs("rootfs tar with a base-256 size too large", "rootfs.tar", Edited(h => HandTar.Base256(h, 124, 12, long.MaxValue)), "LB2023", "size", "'a'");
        yield return Rootfs("rootfs tar with a size field of 0xFF bytes", "rootfs.tar", Edited(h => HandTar.Huge(h, 124, 12)), "LB2023", "size", "'a'");
        yield return Rootfs("rootfs tar with a base-256 uid too large", "rootfs.tar", Edited(h => HandTar.Base256(h, 108, 8, 1UL << 40)), "LB2023", "uid", "'a'");
        yield return Extract("extract tar with a base-256 mtime too large", "tools.tar", Edited(h => HandTar.Base256(h, 136, 12, 1UL << 62)), "LB2023", "mtime", "'a'");
        yield return Rootfs("rootfs tar with a PAX uid too large", "rootfs.tar", new HandTar().Pax('x', ("uid", "99999999999")).File("a", "x").ToArray(), "LB2023", "uid=99999999999");
        yield return Rootfs("rootfs tar with a PAX mtime too large", "rootfs.tar", new HandTar().Pax('x', ("mtime", "99999999999999")).File("a", "x").ToArray(), "LB2023", "mtime=99999999999999");
        yield return Extract("extract tar with a PAX size too large", "tools.tar", new HandTar().Pax('x', ("size", "9223372036854775807")).File("a", "x").ToArray(), "LB2023", "size=9223372036854775807");
        yield return Rootfs("rootfs tar with a GNU sparse entry", "rootfs.tar", new HandTar().Entry(HandTar.Header("sparse.img", 'S', 512), new byte[512]).ToArray(), "LB2012", "'sparse.img'", "sparse");
        yield return Rootfs("rootfs tar with a PAX sparse entry", "rootfs.tar", new HandTar().Pax('x', ("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "4096")).File("GNUSparseFile.0/disk.img", "x").ToArray(), "LB2012", "sparse");
        yield return Rootfs("rootfs tar with a multi-volume entry", "rootfs.tar", new HandTar().Entry(HandTar.Header("part.bin", 'M', 512), new byte[512]).ToArray(), "LB2012", "'part.bin'", "multi-volume");
    }

    /// <summary>A small rootfs of random content: damage to its compressed form lands in file data or headers.</summary>
    public static byte[] Sample() => new HandTar()
        .Folder("etc/")
        .File("etc/os-release", Compressed.Noise(3000, 1))
        .Folder("bin/")
        .File("bin/sh", Compressed.Noise(20000, 2))
        .File("bin/ls", Compressed.Noise(9000, 3))
        .ToArray();

    /// <summary>A metadata header of <paramref name="type"/> that claims <paramref name="size"/> bytes; only 64 KiB of zeros follow.</summary>
    public static byte[] Bomb(char type, long size) =>
        new HandTar().Entry(HandTar.Header("././@LongLink", type, size), new byte[1 << 16]).ToArray(end: false);

    private static byte[] Edited(Action<byte[]> edit) => new HandTar().Entry(HandTar.Header("a", '0', 1, edit: edit), [(byte)'x']).ToArray();

    /// <summary>A valid tar whose second header has one bit of its name flipped after the checksum was written.</summary>
    private static byte[] FlippedName()
    {
        var second = HandTar.Header("etc/passwd", '0', 5);
        second[4] ^= 0x01;
        return new HandTar().File("etc/group", "root\n").Entry(second, "root\n"u8.ToArray()).ToArray();
    }

    private static byte[] FlippedFirst()
    {
        var first = HandTar.Header("etc/passwd", '0', 5);
        first[1] ^= 0x01;
        return new HandTar().Entry(first, "root\n"u8.ToArray()).ToArray();
    }

    private static byte[] Half(byte[] data) => data[..(data.Length / 2)];

    private static BadInput Rootfs(string name, string file, byte[] bytes, string code, params string[] words) =>
        new(name, Header + $"base: {{ rootfs: »{file} }}\n", [code], words) { Arrange = w => w.Write(file, bytes) };

    private static BadInput Extract(string name, string file, byte[] bytes, string code, params string[] words) =>
        new(name, Header + $"steps:\n  - extract:\n      - {{ src: »{file}, dest: /opt }}\n", [code], words) { Arrange = w => w.Write(file, bytes) };

    private static BadInput BaseImage(string name, string file, byte[] bytes, string code, params string[] words) =>
        new(name, Header + $"base: {{ image: »{file} }}\n", [code], words) { Arrange = w => w.Write(file, bytes) };
}
