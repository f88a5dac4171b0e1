using LayerBuilder.Image;

namespace LayerBuilder.Tests.Unit;

/// <summary>Repository names have two spellings: Docker's familiar one and containerd's full one.</summary>
public sealed class ImageReferenceTests
{
    [TestCase("hello", "hello", "docker.io/library/hello")]
    [TestCase("library/hello", "hello", "docker.io/library/hello")]
    [TestCase("docker.io/library/hello", "hello", "docker.io/library/hello")]
    [TestCase("example/hello", "example/hello", "docker.io/example/hello")]
    [TestCase("docker.io/example/hello", "example/hello", "docker.io/example/hello")]
    [TestCase("registry.example.com/team/hello", "registry.example.com/team/hello", "registry.example.com/team/hello")]
    [TestCase("localhost/hello", "localhost/hello", "localhost/hello")]
    [TestCase("localhost:5000/a/b", "localhost:5000/a/b", "localhost:5000/a/b")]
    [TestCase("my-org/my_app.v2", "my-org/my_app.v2", "docker.io/my-org/my_app.v2")]
    public void Names_have_a_familiar_and_a_full_form(string name, string familiar, string full)
    {
        Assert.That(ImageReference.TryParse(name, out var reference, out var problem), Is.True, problem);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reference.Familiar, Is.EqualTo(familiar));
            Assert.That(reference.Full, Is.EqualTo(full));
        }
    }

    [TestCase("", "empty")]
    [TestCase("hello:1.0", "tag")]
    [TestCase("example/hello:latest", "tag")]
    [TestCase("hello@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", "digest")]
    [TestCase("Hello", "lowercase")]
    [TestCase("-hello", "lowercase")]
    [TestCase("hello-", "lowercase")]
    [TestCase("a//b", "lowercase")]
    [TestCase("bad_host.example.com/x", "registry host")]
    public void Tagged_uppercase_and_malformed_names_are_refused(string name, string reason)
    {
        Assert.That(ImageReference.TryParse(name, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain(reason));
    }

    [TestCase("latest", true)]
    [TestCase("1.0", true)]
    [TestCase("v1_2-3", true)]
    [TestCase(".hidden", false)]
    [TestCase("-x", false)]
    [TestCase("a:b", false)]
    [TestCase("", false)]
    public void Tags_follow_the_distribution_grammar(string tag, bool valid) =>
        Assert.That(ImageReference.IsValidTag(tag), Is.EqualTo(valid));

    [Test]
    public void A_tag_longer_than_128_characters_is_refused()
    {
        Assert.That(ImageReference.IsValidTag(new string('a', 128)), Is.True);
        Assert.That(ImageReference.IsValidTag(new string('a', 129)), Is.False);
    }
}
