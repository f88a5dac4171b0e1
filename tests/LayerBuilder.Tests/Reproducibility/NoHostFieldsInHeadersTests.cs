using System.Text.RegularExpressions;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Reproducibility;

/// <summary>
/// Nothing of the building process reaches a header: no PAX atime/ctime records, no user or group
/// names, no PAX header name carrying a process id (what .NET's and GNU tar's writers put there).
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed partial class NoHostFieldsInHeadersTests
{
    private TempDirectory temp = null!;
    private string workspace = "";

    [OneTimeSetUp]
    public void CreateCheckout()
    {
        temp = new TempDirectory();
        workspace = temp.CreateFolder("ws");
        ReproducibleWorkspace.Create(workspace, SourceTreeVariant.Scrambled);
    }

    [OneTimeTearDown]
    public void CleanUp() => temp.Dispose();

    [TestCase("docker")]
    [TestCase("oci")]
    public void Outer_and_layer_headers_carry_no_times_names_or_process_ids(string format)
    {
        var output = temp.Combine("out", $"repro-{format}.tar");
        var run = LayerBuilderCli.Run(["layerbuild.yml", "-o", output, "--format", format], workspace, new Dictionary<string, string?> { ["USER"] = "builder" }, umask: "077");
        Assert.That(run.ExitCode, Is.Zero, run.Transcript);

        var archive = ImageArchive.Read(output);
        var tars = new List<(string Name, byte[] Bytes)> { ("the outer archive", File.ReadAllBytes(output)) };
        tars.AddRange(archive.LayerPaths.Select(p => (p, archive.Bytes(p))));
        var paxHeaders = 0;
        foreach (var (name, bytes) in tars)
        {
            foreach (var header in RawTar.Headers(bytes))
            {
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(header.TypeFlag, Is.Not.EqualTo('g'), $"{name}: global PAX header at {header.Offset}");
                    Assert.That(header.UserName, Is.Empty, $"{name}: uname of {header.Name}");
                    Assert.That(header.GroupName, Is.Empty, $"{name}: gname of {header.Name}");
                    Assert.That(header.PaxRecords.Select(r => r.Key), Has.None.AnyOf("atime", "ctime", "uname", "gname"), $"{name}: {header.Name}");
                }

                if (header.TypeFlag == 'x')
                {
                    paxHeaders++;
                    var number = PaxHeaderNumber().Match(header.Name);
                    Assert.That(number.Success, Is.True, $"{name}: PAX header name {header.Name}");
                    Assert.That(number.Groups[1].Value, Is.EqualTo("0"), $"{name}: PAX header name {header.Name} must not carry a process id");
                    Assert.That(header.Name, Does.Not.Contain(run.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        Assert.That(paxHeaders, Is.GreaterThan(0), "the long source path must have produced a PAX header to check");
    }

    [GeneratedRegex(@"(?:^|/)PaxHeaders\.(\d+)/")]
    private static partial Regex PaxHeaderNumber();
}
