using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Cache;

namespace LayerBuilder.Tests.Unit;

/// <summary>The cache key's field framing: unambiguous, and independent of where the buffer fills up.</summary>
public sealed class FieldHasherTests
{
    private static byte[] Hash(Action<FieldHasher> add)
    {
        using var fields = new FieldHasher();
        add(fields);
        return fields.Finish();
    }

    private static byte[] Framed(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var framed = new byte[4 + utf8.Length];
        BinaryPrimitives.WriteInt32LittleEndian(framed, utf8.Length);
        utf8.CopyTo(framed, 4);
        return framed;
    }

    private static byte[] Framed(long value)
    {
        var framed = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(framed, value);
        return framed;
    }

    [Test]
    public void Text_fields_do_not_run_into_each_other()
    {
        Assert.That(Hash(f => { f.Add("ab"); f.Add("c"); }), Is.Not.EqualTo(Hash(f => { f.Add("a"); f.Add("bc"); })));
        Assert.That(Hash(f => { f.Add(""); f.Add("a"); }), Is.Not.EqualTo(Hash(f => { f.Add("a"); f.Add(""); })));
    }

    [Test]
    public void Fields_are_hashed_as_their_framing_whatever_their_sizes()
    {
        var longText = new string('é', 70_000); // more than the buffer holds
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var expected = new List<byte>();
        var actual = Hash(f =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                f.Add($"entry {i}");
                expected.AddRange(Framed($"entry {i}"));
                f.Add(i * 1_000_000_007L);
                expected.AddRange(Framed(i * 1_000_000_007L));
            }

            f.Add(longText);
            expected.AddRange(Framed(longText));
            f.Add(bytes.AsSpan());
            expected.AddRange(Framed(bytes.Length)[..4]);
            expected.AddRange(bytes);
            f.Add(ulong.MaxValue);
            expected.AddRange(Framed(-1));
        });

        Assert.That(actual, Is.EqualTo(SHA256.HashData(expected.ToArray())));
    }
}
