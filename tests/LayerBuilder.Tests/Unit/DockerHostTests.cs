using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;

namespace LayerBuilder.Tests.Unit;

/// <summary>DOCKER_HOST as docker's client reads it: a unix socket, by default /var/run/docker.sock; other
/// transports are one clear LB5030 naming the variable.</summary>
public sealed class DockerHostTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Unset_is_the_default_socket(string? value) =>
        Assert.That(DockerHost.Parse(value).SocketPath, Is.EqualTo("/var/run/docker.sock"));

    [Test]
    public void A_unix_url_names_its_socket_and_prints_back_the_same()
    {
        var host = DockerHost.Parse("unix:///run/user/1000/docker.sock");
        Assert.That(host.SocketPath, Is.EqualTo("/run/user/1000/docker.sock"));
        Assert.That(host.ToString(), Is.EqualTo("unix:///run/user/1000/docker.sock"));
    }

    [TestCase("tcp://127.0.0.1:2375", "not a unix socket")]
    [TestCase("ssh://me@build-host", "not a unix socket")]
    [TestCase("/var/run/docker.sock", "not a unix socket")]
    [TestCase("unix://docker.sock", "absolute socket path")]
    public void Other_forms_are_LB5030_at_DOCKER_HOST(string value, string says)
    {
        var e = Assert.Throws<LayerBuildException>(() => DockerHost.Parse(value));
        Assert.That(e!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.EngineHostUnsupported));
        Assert.That(e.Diagnostics[0].Position.File, Is.EqualTo("DOCKER_HOST"));
        Assert.That(e.Diagnostics[0].Message, Does.Contain(value).And.Contain(says));
    }
}
