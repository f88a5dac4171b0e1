using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A tar header may claim a GNU long name or PAX header of any size; the tar library would allocate
/// that many bytes before reading them (300 MB took 5.4 GB; 1 GiB crashed with OutOfMemoryException).
/// The cap is checked on the header itself, so refusing such a tar allocates next to nothing.
/// </summary>
public sealed class MetadataBombTests
{
    private const long AllocationBudget = 16 << 20;

    [TestCase('L')]
    [TestCase('K')]
    [TestCase('x')]
    [TestCase('g')]
    public void A_header_claiming_1_GiB_of_metadata_is_refused_without_allocating_it(char type)
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("rootfs.tar.gz", Compressed.Gzip(HostileTarTable.Bomb(type, 1L << 30)));
        var source = new RootfsTarSource(path, SourcePosition.StartOf("layerbuild.yml"), 0, _ => { });

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<LayerBuildException>(() => source.Entries().ToList());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(error!.Diagnostics.Single().Code.Id, Is.EqualTo("LB2022"));
        Assert.That(allocated, Is.LessThan(AllocationBudget), "bytes allocated to refuse the tar");
    }
}
