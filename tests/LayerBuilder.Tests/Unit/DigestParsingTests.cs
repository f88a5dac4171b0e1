using LayerBuilder.Image;

namespace LayerBuilder.Tests.Unit;

/// <summary>Digests are accepted only in the OCI form loaders verify: sha256 and 64 lowercase hex digits.</summary>
public sealed class DigestParsingTests
{
    [TestCase("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", true)]
    [TestCase("sha256:5F70BF18A086007016E948B04AED3B82103A36BEA41755B6CDDFAF10ACE3C6EF", false)]
    [TestCase("sha512:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", false)]
    [TestCase("5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", false)]
    [TestCase("sha256:5f70bf18", false)]
    public void Only_sha256_with_64_lowercase_hex_digits_parses(string text, bool valid) =>
        Assert.That(Digest.TryParse(text, out _), Is.EqualTo(valid));

    [Test]
    public void A_parsed_digest_prints_as_it_was_written()
    {
        const string text = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

        Assert.That(Digest.Parse(text).ToString(), Is.EqualTo(text));
        Assert.That(Digest.Parse(text).Hex, Is.EqualTo(text[7..]));
        Assert.That(() => Digest.Parse("sha256:xyz"), Throws.TypeOf<FormatException>());
    }
}
