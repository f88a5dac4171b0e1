using System.Text;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// Header bytes only: PAX records appear just when a field does not fit, under a fixed header name,
/// with no atime/ctime, and ustar fields carry nothing about the host (empty uname/gname).
/// </summary>
internal sealed class TarHeaderWriterTests
{
    private const long NineGiB = 9L << 30;

    private static byte[] Header(LayerEntry entry)
    {
        using var stream = new MemoryStream();
        TarHeaderWriter.WriteHeader(stream, entry);
        return stream.ToArray();
    }

    private static LayerEntry File(string path, long size = 0) => new()
    {
        Path = ImagePath.Parse(path),
        Kind = EntryKind.File,
        Mode = 0x1A4,
        Owner = new Owner(1000, 1001),
        ModifiedTime = 1_704_067_200,
        Content = new LayerSliceContent(LayerLocation.At("never-opened"), 0, size),
    };

    [Test]
    public void A_short_name_gets_one_ustar_block_with_empty_user_and_group_names()
    {
        var bytes = Header(File("/etc/hosts", 12));

        Assert.That(bytes, Has.Length.EqualTo(512));
        var headers = RawTar.Headers([.. bytes, .. new byte[512], .. new byte[1024]]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(headers, Has.Count.EqualTo(1));
            Assert.That(headers[0].Name, Is.EqualTo("etc/hosts"));
            Assert.That(headers[0].TypeFlag, Is.EqualTo('0'));
            Assert.That(headers[0].Size, Is.EqualTo(12));
            Assert.That(RawTar.Number(bytes.AsSpan(100, 8)), Is.EqualTo(0x1A4), "mode");
            Assert.That(RawTar.Number(bytes.AsSpan(108, 8)), Is.EqualTo(1000), "uid");
            Assert.That(RawTar.Number(bytes.AsSpan(116, 8)), Is.EqualTo(1001), "gid");
            Assert.That(RawTar.Number(bytes.AsSpan(136, 12)), Is.EqualTo(1_704_067_200), "mtime");
            Assert.That(Encoding.ASCII.GetString(bytes, 257, 8), Is.EqualTo("ustar\000"));
            Assert.That(bytes.AsSpan(265, 64).ToArray(), Has.All.EqualTo((byte)0), "uname and gname must be empty");
        }
    }

    /// <summary>The header of a plain file, written out field by field from the POSIX ustar layout, with a
    /// checksum summed here: not from any tar code, the product's or a library's.</summary>
    [Test]
    public void A_plain_file_header_is_the_ustar_block_written_out_by_hand()
    {
        var expected = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(expected, offset);
        Put(0, "etc/hosts");               // name
        Put(100, "0000644\0");             // mode 0644
        Put(108, "0001750\0");             // uid 1000
        Put(116, "0001751\0");             // gid 1001
        Put(124, "00000000014\0");         // size 12
        Put(136, "14544400200\0");         // mtime 1704067200 (2024-01-01T00:00:00Z)
        Put(156, "0");                     // regular file
        Put(257, "ustar\0");               // magic
        Put(263, "00");                    // version
        Put(148, "        ");              // the checksum counts its own field as eight spaces
        Put(148, Convert.ToString(expected.Sum(b => b), 8).PadLeft(6, '0') + "\0 ");

        Assert.That(Header(File("/etc/hosts", 12)), Is.EqualTo(expected));
    }

    [Test]
    public void A_name_longer_than_100_bytes_gets_a_pax_path_record_under_a_fixed_header_name()
    {
        var longName = "/opt/" + new string('d', 60) + "/" + new string('f', 70) + ".txt";
        var bytes = Header(File(longName, 5));

        var headers = RawTar.Headers([.. bytes, .. new byte[512], .. new byte[1024]]);
        Assert.That(headers, Has.Count.EqualTo(2));
        var pax = headers[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pax.TypeFlag, Is.EqualTo('x'));
            Assert.That(pax.Name, Does.Contain("PaxHeaders.0"));
            Assert.That(pax.UserName + pax.GroupName, Is.Empty);
            Assert.That(pax.PaxRecords, Is.EqualTo(new[] { new KeyValuePair<string, string>("path", longName[1..]) }));
            Assert.That(pax.PaxRecords.Select(r => r.Key), Has.None.AnyOf("atime", "ctime", "mtime"));
            Assert.That(headers[1].TypeFlag, Is.EqualTo('0'));
            Assert.That(headers[1].Size, Is.EqualTo(5));
            Assert.That(longName[1..], Does.StartWith(headers[1].Name), "the ustar name holds what fits of the real name");
        }
    }

    [Test]
    public void Pax_record_lengths_count_their_own_digits_at_every_length_boundary()
    {
        // A "path" record of a name of 990 bytes or more needs a four-digit LEN, which makes it longer still.
        foreach (var length in Enumerable.Range(101, 10).Concat(Enumerable.Range(985, 16)))
        {
            var name = "/" + new string('n', length);
            var bytes = Header(File(name));
            var records = RawTar.PaxRecords(bytes.AsSpan(512, (int)RawTar.Number(bytes.AsSpan(124, 12))));
            Assert.That(records.Single().Value, Is.EqualTo(name[1..]), $"name of {length} bytes");
        }
    }

    [Test]
    public void A_long_symlink_target_gets_a_pax_linkpath_record()
    {
        var target = "/" + string.Join("/", Enumerable.Repeat("segment", 20));
        var bytes = Header(new LayerEntry { Path = ImagePath.Parse("/l"), Kind = EntryKind.Symlink, Mode = 0x1FF, LinkTarget = target });

        var headers = RawTar.Headers([.. bytes, .. new byte[1024]]);
        Assert.That(headers[0].PaxRecords, Is.EqualTo(new[] { new KeyValuePair<string, string>("linkpath", target) }));
        Assert.That(headers[1].TypeFlag, Is.EqualTo('2'));
    }

    [Test]
    public void A_size_of_8_GiB_or_more_is_carried_by_a_pax_size_record()
    {
        var bytes = Header(File("/big.bin", NineGiB));

        Assert.That(bytes, Has.Length.EqualTo(3 * 512), "PAX header, its one block of records, the ustar header");
        Assert.That(bytes[156], Is.EqualTo((byte)'x'));
        var records = RawTar.PaxRecords(bytes.AsSpan(512, (int)RawTar.Number(bytes.AsSpan(124, 12))));
        var ustar = bytes.AsSpan(1024, 512);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Is.EqualTo(new[] { new KeyValuePair<string, string>("size", NineGiB.ToString()) }));
            Assert.That(RawTar.Checksum(ustar), Is.EqualTo(RawTar.Number(ustar.Slice(148, 8))));
            Assert.That(RawTar.Text(ustar[..100]), Is.EqualTo("big.bin"));

            // The ustar size field cannot hold it in octal; whatever it holds must not claim a wrong size.
            var field = RawTar.Number(ustar.Slice(124, 12));
            Assert.That(field, Is.EqualTo(NineGiB).Or.EqualTo(0));
        }
    }

    [Test]
    public void A_size_just_below_8_GiB_still_fits_the_octal_field()
    {
        var size = (8L << 30) - 1;
        var bytes = Header(File("/almost.bin", size));

        Assert.That(bytes, Has.Length.EqualTo(512), "no PAX header");
        Assert.That(Encoding.ASCII.GetString(bytes, 124, 12), Is.EqualTo("77777777777\0"));
    }

    [Test]
    public void Ids_that_do_not_fit_seven_octal_digits_are_carried_by_pax_uid_and_gid_records()
    {
        var entry = File("/owned") with { Owner = new Owner(3_000_000, 2_097_152) };
        var bytes = Header(entry);

        Assert.That(bytes[156], Is.EqualTo((byte)'x'));
        var records = RawTar.PaxRecords(bytes.AsSpan(512, (int)RawTar.Number(bytes.AsSpan(124, 12))));
        Assert.That(records, Is.EqualTo(new[]
        {
            new KeyValuePair<string, string>("gid", "2097152"),
            new KeyValuePair<string, string>("uid", "3000000"),
        }));
    }

    [Test]
    public void The_largest_id_that_fits_seven_octal_digits_needs_no_pax_header()
    {
        var bytes = Header(File("/owned") with { Owner = new Owner(2_097_151, 2_097_151) });

        Assert.That(bytes, Has.Length.EqualTo(512));
        Assert.That(Encoding.ASCII.GetString(bytes, 108, 8), Is.EqualTo("7777777\0"));
    }

    [Test]
    public void The_header_checksum_is_six_octal_digits_a_nul_and_a_space()
    {
        var bytes = Header(File("/etc/hosts"));
        var stored = Encoding.ASCII.GetString(bytes, 148, 8);

        Assert.That(stored, Does.Match("^[0-7]{6}\0 $"));
        Assert.That(Convert.ToInt64(stored[..6], 8), Is.EqualTo(RawTar.Checksum(bytes)));
    }

    [Test]
    public void Whiteouts_are_empty_regular_files_named_after_what_they_hide()
    {
        var whiteout = Header(new LayerEntry { Path = ImagePath.Parse("/etc/old.conf"), Kind = EntryKind.Whiteout });
        var opaque = Header(new LayerEntry { Path = ImagePath.Parse("/data"), Kind = EntryKind.OpaqueWhiteout });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RawTar.Text(whiteout.AsSpan(0, 100)), Is.EqualTo("etc/.wh.old.conf"));
            Assert.That(RawTar.Text(opaque.AsSpan(0, 100)), Is.EqualTo("data/.wh..wh..opq"));
            Assert.That(new[] { whiteout[156], opaque[156] }, Has.All.EqualTo((byte)'0'));
            Assert.That(RawTar.Number(whiteout.AsSpan(124, 12)) + RawTar.Number(opaque.AsSpan(124, 12)), Is.Zero);
        }
    }

    /// <summary>Entries at the edges of the one-block fast path: it must write exactly what the general
    /// path writes, and the measured length must match.</summary>
    private static IEnumerable<LayerEntry> EdgeEntries()
    {
        var hundred = "/" + new string('n', 100);
        var ninetyNine = "/" + new string('d', 99);
        yield return File("/etc/hosts", 12);
        yield return File(hundred, 1);
        yield return File(hundred + "x", 1);
        yield return File("/" + new string('é', 50), 3);
        yield return File("/" + new string('é', 51), 3);
        yield return File("/big", (1L << 33) - 1);
        yield return File("/bigger", 1L << 33);
        yield return File("/old") with { ModifiedTime = -1 };
        yield return File("/ids") with { Owner = new Owner(2_097_151, 2_097_152) };
        yield return File("/attrs") with { Xattrs = new Dictionary<string, byte[]> { ["user.k"] = "v"u8.ToArray() } };
        yield return new LayerEntry { Path = ImagePath.Parse(ninetyNine), Kind = EntryKind.Directory, Mode = 0x1ED };
        yield return new LayerEntry { Path = ImagePath.Parse(ninetyNine + "d"), Kind = EntryKind.Directory, Mode = 0x1ED };
        yield return new LayerEntry { Path = ImagePath.Parse("/"), Kind = EntryKind.Directory, Mode = 0x1ED };
        yield return new LayerEntry { Path = ImagePath.Parse("/link"), Kind = EntryKind.Symlink, Mode = 0x1FF, LinkTarget = new string('t', 100) };
        yield return new LayerEntry { Path = ImagePath.Parse("/link2"), Kind = EntryKind.Symlink, Mode = 0x1FF, LinkTarget = new string('t', 101) };
        yield return new LayerEntry { Path = ImagePath.Parse("/hard"), Kind = EntryKind.Hardlink, LinkTarget = "/etc/hosts" };
        yield return new LayerEntry { Path = ImagePath.Parse("/dev/null"), Kind = EntryKind.CharDevice, Mode = 0x1B6, DeviceMajor = 1, DeviceMinor = 3 };
        yield return new LayerEntry { Path = ImagePath.Parse("/fifo"), Kind = EntryKind.Fifo, Mode = 0x1A4 };
        yield return new LayerEntry { Path = ImagePath.Parse("/gone/file"), Kind = EntryKind.Whiteout };
        yield return new LayerEntry { Path = ImagePath.Parse("/opaque"), Kind = EntryKind.OpaqueWhiteout };
    }

    [TestCaseSource(nameof(EdgeEntries))]
    public void The_one_block_fast_path_writes_what_the_general_path_writes(LayerEntry entry)
    {
        using var general = new MemoryStream();
        TarHeaderWriter.WriteHeader(general, entry, 0);

        var fast = Header(entry);

        Assert.That(fast, Is.EqualTo(general.ToArray()));
        Assert.That(TarHeaderWriter.HeaderLength(entry), Is.EqualTo(fast.Length));
        RawTar.Headers([.. fast, .. new byte[(entry.Size + 511) / 512 * 512 > 4096 ? 0 : (entry.Size + 511) / 512 * 512], .. new byte[1024]]);

        // Both paths could be wrong the same way: an independent reader must see the entry itself.
        var seen = PythonTarfile.FirstMember([.. fast, .. new byte[1024]]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.GetProperty("name").GetString(), Is.EqualTo(ExpectedName(entry)));
            Assert.That(seen.GetProperty("type").GetString(), Is.EqualTo(ExpectedType(entry)));
            Assert.That(seen.GetProperty("size").GetInt64(), Is.EqualTo(entry.Kind == EntryKind.File ? entry.Size : 0));
            Assert.That(seen.GetProperty("mode").GetInt32(), Is.EqualTo(entry.Kind is EntryKind.Whiteout or EntryKind.OpaqueWhiteout ? 0 : entry.Mode & 0xFFF));
            Assert.That(seen.GetProperty("uid").GetInt64(), Is.EqualTo(entry.Owner.Uid));
            Assert.That(seen.GetProperty("gid").GetInt64(), Is.EqualTo(entry.Owner.Gid));
            Assert.That(seen.GetProperty("mtime").GetInt64(), Is.EqualTo(entry.ModifiedTime));
            Assert.That(seen.GetProperty("linkname").GetString(), Is.EqualTo(entry.Kind == EntryKind.Hardlink ? entry.LinkTarget!.TrimStart('/') : entry.LinkTarget ?? ""));
            Assert.That(seen.GetProperty("uname").GetString() + seen.GetProperty("gname").GetString(), Is.Empty);
            Assert.That(seen.GetProperty("pax").EnumerateArray().Select(k => k.GetString()), Has.None.AnyOf("atime", "ctime"));
            if (entry.Kind == EntryKind.CharDevice)
            {
                Assert.That((seen.GetProperty("devmajor").GetInt32(), seen.GetProperty("devminor").GetInt32()), Is.EqualTo((entry.DeviceMajor, entry.DeviceMinor)));
            }
        }
    }

    /// <summary>The member name a tar reader reports: no leading '/', whiteouts spelt as such.</summary>
    private static string ExpectedName(LayerEntry entry)
    {
        var path = entry.Path.ToString().TrimStart('/');
        return entry.Kind switch
        {
            EntryKind.Whiteout => path.Contains('/', StringComparison.Ordinal)
                ? path[..(path.LastIndexOf('/') + 1)] + ".wh." + path[(path.LastIndexOf('/') + 1)..]
                : ".wh." + path,
            EntryKind.OpaqueWhiteout => path + "/.wh..wh..opq",
            EntryKind.Directory when path.Length == 0 => "", // the root, written as "/"
            _ => path,
        };
    }

    private static string ExpectedType(LayerEntry entry) => entry.Kind switch
    {
        EntryKind.Directory => "5",
        EntryKind.Symlink => "2",
        EntryKind.Hardlink => "1",
        EntryKind.CharDevice => "3",
        EntryKind.Fifo => "6",
        _ => "0",
    };

    [Test]
    public void A_padded_header_takes_exactly_the_room_asked_for_and_holds_only_a_comment_besides_what_it_needs()
    {
        foreach (var room in new[] { 1536, 2048, 4096, 8192 + 512 })
        {
            using var stream = new MemoryStream();
            TarHeaderWriter.WriteHeader(stream, File("/layer.tar", 10), room);
            var bytes = stream.ToArray();
            Assert.That(bytes, Has.Length.EqualTo(room));
            var headers = RawTar.Headers([.. bytes, .. new byte[512], .. new byte[1024]]);
            Assert.That(headers.Select(h => h.TypeFlag), Is.EqualTo(new[] { 'x', '0' }));
            Assert.That(headers[0].PaxRecords.Select(r => r.Key), Is.EqualTo(new[] { "comment" }));
            Assert.That(headers[1].Name, Is.EqualTo("layer.tar"));
        }
    }
}
