using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Reading;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Library;

public sealed class FixtureEntriesExample
{
    private const UnixFileMode SetuidExecutable = (UnixFileMode)0b100_111_101_101; // 4755
    private const UnixFileMode ReadWriteForAll = (UnixFileMode)0b110_110_110; // 0666

    // cap_net_raw+ep as the kernel stores it in security.capability (revision 2, 20 bytes).
    private static readonly byte[] NetRaw = Convert.FromBase64String("AQAAAgAgAAAAAAAAAAAAAAAAAAA=");

    [Test]
    public async Task A_fixture_has_a_device_a_fifo_a_file_capability_and_a_whiteout()
    {
        var folder = Directory.CreateTempSubdirectory("fixture-").FullName;
        try
        {
            var recipe = RecipeBuilder.FromScratch("fixtures/entries")
                .Created(DateTimeOffset.UnixEpoch)
                .Step("base", step => step
                    .File("/usr/bin/ping", "not really ping\n", mode: SetuidExecutable,
                        xattrs: new Dictionary<string, byte[]> { ["security.capability"] = NetRaw })
                    .File("/etc/motd", "hello\n")
                    .Node("/dev/null", NodeType.CharDevice, major: 1, minor: 3, mode: ReadWriteForAll)
                    .Node("/run/app.fifo", NodeType.Fifo))
                .Step("fixtures", step => step
                    .Whiteout("/etc/motd")
                    .File("/moon", "landed\n", mtime: new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero)))
                .Check("/dev/null", type: ImageEntryType.CharDevice, mode: ReadWriteForAll)
                .Check("/usr/bin/ping", mode: SetuidExecutable, contains: "ping")
                .Check("/etc/motd", exists: false)
                .Build();
            var path = Path.Combine(folder, "entries.tar");
            var built = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, path) with { Format = ArchiveFormat.Oci });

            var image = (await ImageArchive.OpenAsync(path)).Images.Single();
            var lower = await image.Layers[0].ReadEntriesAsync().ToListAsync();
            var ping = lower.Single(entry => entry.Path == "usr/bin/ping");
            var device = lower.Single(entry => entry.Path == "dev/null");
            var whiteout = await image.Layers[1].ReadEntriesAsync().SingleAsync(entry => entry.Kind == LayerEntryKind.Whiteout);

            Assert.That(image.Id, Is.EqualTo(built.ImageId));
            Assert.That(ping.XattrBytes["security.capability"], Is.EqualTo(NetRaw));
            Assert.That(ping.Mode, Is.EqualTo(SetuidExecutable));
            Assert.That((device.Kind, device.DeviceMajor, device.DeviceMinor), Is.EqualTo((LayerEntryKind.CharacterDevice, 1, 3)));
            Assert.That(lower.Single(entry => entry.Path == "run/app.fifo").Kind, Is.EqualTo(LayerEntryKind.Fifo));
            Assert.That(whiteout.WhiteoutTarget, Is.EqualTo("etc/motd"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
