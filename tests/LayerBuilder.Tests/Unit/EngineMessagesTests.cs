using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;

namespace LayerBuilder.Tests.Unit;

/// <summary>What the docker engine answers a load with (moby's JSON lines): the report lines are kept, an
/// error object is LB5032 quoting the engine. The error line is the one docker 20.10 sends for a body
/// that is no tar.</summary>
public sealed class EngineMessagesTests
{
    private static readonly DockerHost Host = DockerHost.Parse("unix:///run/docker.sock");

    [Test]
    public async Task Stream_texts_are_the_report_one_line_each()
    {
        var answer = "{\"stream\":\"Loaded image: app:1\\n\"}\r\n{\"stream\":\"Loaded image: app:latest\\n\"}\n\n";

        var lines = await EngineMessages.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(answer)), Host, CancellationToken.None);

        Assert.That(lines, Is.EqualTo(new[] { "Loaded image: app:1", "Loaded image: app:latest" }));
    }

    [Test]
    public void An_error_object_is_LB5032_with_the_engines_words()
    {
        const string answer = "{\"errorDetail\":{\"message\":\"Error processing tar file(exit status 1): unexpected EOF\"},\"error\":\"Error processing tar file(exit status 1): unexpected EOF\"}\r\n";

        var e = Assert.ThrowsAsync<LayerBuildException>(() => EngineMessages.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(answer)), Host, CancellationToken.None));

        Assert.That(e!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.EngineRefusedImage));
        Assert.That(e.Diagnostics[0].Message, Is.EqualTo("the docker engine at unix:///run/docker.sock did not load the image: Error processing tar file(exit status 1): unexpected EOF"));
    }

    [Test]
    public void An_answer_that_is_not_the_engines_json_is_LB5032()
    {
        var e = Assert.ThrowsAsync<LayerBuildException>(() => EngineMessages.ReadAsync(new MemoryStream("<html>proxy error</html>\n"u8.ToArray()), Host, CancellationToken.None));

        Assert.That(e!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.EngineRefusedImage));
        Assert.That(e.Diagnostics[0].Message, Does.Contain("proxy error"));
    }
}
