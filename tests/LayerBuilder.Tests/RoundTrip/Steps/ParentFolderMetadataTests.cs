using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// Parent folders a step needs are written with the metadata they already have in lower layers;
/// folders that are new get the recipe's defaults.
/// </summary>
public sealed class ParentFolderMetadataTests
{
    private static readonly DateTimeOffset RootfsTime = DateTimeOffset.FromUnixTimeSeconds(1_234_567_890);

    [Test]
    public async Task Existing_parents_keep_their_lower_mode_owner_and_time_and_new_ones_get_the_defaults()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("opt/", mode: 0x1E8, uid: 10, gid: 20, modified: RootfsTime) // 0750
            .Folder("opt/vendor/", mode: 0x3FF, uid: 11, gid: 21, modified: RootfsTime) // 1777
            .WriteTo(temp.Combine("rootfs.tar"));

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/parents
            created: "2024-01-01T00:00:00Z"
            base: { rootfs: rootfs.tar }
            defaults:
              owner: "5:6"
              dirMode: "0711"
            steps:
              - files:
                  - { path: /opt/vendor/app/bin/tool, content: x }
            """);

        var layer = archive.Layer(1).ToDictionary(m => m.Name);
        var created = DateTimeOffset.Parse("2024-01-01T00:00:00Z").ToUnixTimeSeconds();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(layer.Keys, Is.EqualTo(new[] { "opt/", "opt/vendor/", "opt/vendor/app/", "opt/vendor/app/bin/", "opt/vendor/app/bin/tool" }));
            Assert.That((layer["opt/"].Mode, layer["opt/"].Uid, layer["opt/"].Gid), Is.EqualTo((0x1E8, 10, 20)));
            Assert.That(layer["opt/"].ModifiedSeconds, Is.EqualTo(RootfsTime.ToUnixTimeSeconds()));
            Assert.That((layer["opt/vendor/"].Mode, layer["opt/vendor/"].Uid, layer["opt/vendor/"].Gid), Is.EqualTo((0x3FF, 11, 21)));
            Assert.That((layer["opt/vendor/app/"].Mode, layer["opt/vendor/app/"].Uid, layer["opt/vendor/app/"].Gid), Is.EqualTo((0x1C9, 5, 6)));
            Assert.That(layer["opt/vendor/app/"].ModifiedSeconds, Is.EqualTo(created));
            Assert.That((layer["opt/vendor/app/bin/"].Mode, layer["opt/vendor/app/bin/"].Uid), Is.EqualTo((0x1C9, 5)));
            Assert.That((layer["opt/vendor/app/bin/tool"].Uid, layer["opt/vendor/app/bin/tool"].Gid), Is.EqualTo((5, 6)));
        }
    }
}
