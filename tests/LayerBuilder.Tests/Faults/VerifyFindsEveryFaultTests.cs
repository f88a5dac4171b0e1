using LayerBuilder.Archive;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;
using ImageArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Faults;

/// <summary>
/// Every fault a recipe can ask for (docs/fixtures.md, "Fixtures that break on purpose") is written, and
/// validation finds it with exactly the codes that defect gives, in each format it applies to; the same
/// recipe without faults validates clean, so the defect is all that is wrong.
/// </summary>
public sealed class VerifyFindsEveryFaultTests
{
    public sealed record Case(ImageFault Fault, ArchiveFormat Format, LayerCompression Compression, string[] Codes)
    {
        public override string ToString() => $"{Fault} {Format}{(Compression == LayerCompression.None ? "" : "+" + Compression)}";
    }

    public static IEnumerable<Case> Cases()
    {
        var none = LayerCompression.None;
        yield return new(ImageFault.LayerDigestMismatch, ArchiveFormat.Docker, none, ["LB4003"]);
        yield return new(ImageFault.LayerDigestMismatch, ArchiveFormat.Oci, none, ["LB4001", "LB4003"]);
        yield return new(ImageFault.LayerDigestMismatch, ArchiveFormat.Oci, LayerCompression.Gzip, ["LB4003"]);
        yield return new(ImageFault.MissingLayer, ArchiveFormat.Docker, none, ["LB4005"]);
        yield return new(ImageFault.MissingLayer, ArchiveFormat.Oci, none, ["LB4005"]);
        yield return new(ImageFault.ConfigDigestMismatch, ArchiveFormat.Docker, none, ["LB4001"]);
        yield return new(ImageFault.ConfigDigestMismatch, ArchiveFormat.Oci, none, ["LB4001"]);
        yield return new(ImageFault.PathTraversal, ArchiveFormat.Docker, none, ["LB4010"]);
        yield return new(ImageFault.PathTraversal, ArchiveFormat.Oci, LayerCompression.Zstd, ["LB4010"]);
        yield return new(ImageFault.AbsolutePath, ArchiveFormat.Docker, none, ["LB4011"]);
        yield return new(ImageFault.AbsolutePath, ArchiveFormat.Oci, none, ["LB4011"]);
        yield return new(ImageFault.SymlinkEscape, ArchiveFormat.Docker, none, ["LB4013", "LB4014"]);
        yield return new(ImageFault.SymlinkEscape, ArchiveFormat.Oci, none, ["LB4013", "LB4014"]);
        yield return new(ImageFault.TruncatedLayer, ArchiveFormat.Docker, none, ["LB4003", "LB4008"]);
        yield return new(ImageFault.TruncatedLayer, ArchiveFormat.Oci, none, ["LB4001", "LB4002", "LB4003", "LB4008"]);
        yield return new(ImageFault.TruncatedLayer, ArchiveFormat.Oci, LayerCompression.Gzip, ["LB4001", "LB4002", "LB4008"]);
        yield return new(ImageFault.MissingManifest, ArchiveFormat.Oci, none, ["LB4005", "LB4006"]);
    }

    [Test]
    public void Every_fault_has_a_case()
    {
        Assert.That(Cases().Select(c => c.Fault).Distinct(), Is.EquivalentTo(Enum.GetValues<ImageFault>()));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Validation_finds_the_fault_and_nothing_else(Case c)
    {
        using var temp = new TempDirectory();
        var sound = await FaultFixture.BuildAsync(temp, "sound.tar", c.Format, c.Compression);
        var faulty = await FaultFixture.BuildAsync(temp, "faulty.tar", c.Format, c.Compression, c.Fault);

        var findings = await ImageArchive.ValidateAsync(faulty);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ImageArchive.ValidateAsync(sound), Is.Empty);
            Assert.That(findings.Select(f => f.Code.Id).Distinct().Order(), Is.EqualTo(c.Codes), string.Join("\n", findings));
        }
    }

    [Test]
    public async Task Tar_content_faults_share_one_layer_on_top_named_in_the_history()
    {
        using var temp = new TempDirectory();
        var path = await FaultFixture.BuildAsync(temp, "faulty.tar", ArchiveFormat.Oci, LayerCompression.None,
            ImageFault.SymlinkEscape, ImageFault.PathTraversal, ImageFault.AbsolutePath);

        var image = (await ImageArchive.OpenAsync(path)).Images.Single();
        var findings = await ImageArchive.ValidateAsync(path);
        var top = image.Layers[^1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(image.Layers, Has.Count.EqualTo(3));
            Assert.That(image.HistoryOf(top)!.CreatedBy, Is.EqualTo("layerbuild fault: symlink-escape path-traversal absolute-path"));
            Assert.That(findings.Select(f => f.Code.Id).Order(), Is.EqualTo(new[] { "LB4010", "LB4011", "LB4013", "LB4014" }));
        }
    }

    [Test]
    public async Task Faults_that_change_members_only_keep_the_image_id_and_the_sound_archive_is_not_mistaken_for_them()
    {
        using var temp = new TempDirectory();
        var sound = await FaultFixture.BuildAsync(temp, "image.tar", ArchiveFormat.Docker, LayerCompression.None);
        var soundId = (await ImageArchive.OpenAsync(sound)).Images.Single().Id;
        var recipe = FaultFixture.Recipe(temp.Path).Faults(ImageFault.MissingLayer).Build();
        var cache = new LayerBuilder.Cache.LayerCache(temp.Combine("cache"));

        var faulty = await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(recipe, sound) with { Cache = cache });
        var again = await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(FaultFixture.Recipe(temp.Path).Build(), sound) with { Cache = cache });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(faulty.ImageId, Is.EqualTo(soundId));
            Assert.That(again.Unchanged, Is.False, "the faulty archive at the path is not the sound one");
            Assert.That(await ImageArchive.ValidateAsync(sound), Is.Empty);
        }
    }
}
