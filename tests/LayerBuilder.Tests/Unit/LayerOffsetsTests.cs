using LayerBuilder.FileSystem;
using LayerBuilder.Layers;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The layer length known before the first byte (<see cref="LayerOffsets"/>): a large list is measured
/// in two halves on two threads, which must give the length the one-thread walk of every entry gives,
/// including entries whose header is longer than one block, wherever the halves are cut.
/// </summary>
internal sealed class LayerOffsetsTests
{
    private static LayerEntry Entry(int i) => (i % 7) switch
    {
        0 => new LayerEntry { Path = ImagePath.Parse($"/d{i}"), Kind = EntryKind.Directory, Mode = 0x1ED },
        1 => new LayerEntry { Path = ImagePath.Parse("/" + new string('n', 120) + i), Kind = EntryKind.File, Mode = 0x1A4, Content = new InlineContent(new byte[i % 1500]) },
        _ => new LayerEntry { Path = ImagePath.Parse($"/d/f{i}"), Kind = EntryKind.File, Mode = 0x1A4, Content = new InlineContent(new byte[i % 700]) },
    };

    [TestCase(1)]
    [TestCase(65_535)]
    [TestCase(65_536)]
    [TestCase(70_001)]
    public void The_length_measured_in_halves_is_the_length_of_every_entry_measured_in_order(int count)
    {
        var entries = Enumerable.Range(0, count).Select(Entry).ToList();
        long expected = 0;
        var stored = 0;
        var oneThread = LayerOffsets.Store(entries, LayerLocation.At("never-opened"), _ => stored++);
        foreach (var entry in entries)
        {
            expected += TarHeaderWriter.HeaderLength(entry) + TarHeaderWriter.PaddedLength(entry.Content?.Length ?? 0);
        }

        Assert.Multiple(() =>
        {
            Assert.That(LayerOffsets.TarLength(entries), Is.EqualTo(oneThread));
            Assert.That(oneThread, Is.EqualTo(expected + 1024), "two zero blocks end the tar");
            Assert.That(stored, Is.EqualTo(count));
        });
    }
}
