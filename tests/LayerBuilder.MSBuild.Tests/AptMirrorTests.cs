namespace LayerBuilder.MSBuild.Tests;

/// <summary>The debootstrap mirror comes from the machine's apt sources, in either of apt's two formats.</summary>
public sealed class AptMirrorTests
{
    private string root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("layerbuilder-apt-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public void A_deb822_sources_file_gives_the_uri_of_the_stanza_that_names_the_suite()
    {
        Write("etc/apt/sources.list.d/debian.sources", """
            Types: deb
            URIs: http://security.example/debian-security
            Suites: bookworm-security
            Components: main

            Types: deb
            # a comment between fields
            URIs: http://mirror.example/debian
            Suites: bookworm bookworm-updates
            Components: main

            """);

        Assert.That(AptMirror.Find("bookworm", root), Is.EqualTo("http://mirror.example/debian"));
    }

    [Test]
    public void A_one_line_sources_list_entry_with_options_gives_its_uri()
    {
        Write("etc/apt/sources.list", """
            # deb http://commented.example/debian bookworm main
            deb-src http://source.example/debian bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main
            """);

        Assert.That(AptMirror.Find("bookworm", root), Is.EqualTo("http://mirror.example/debian"));
    }

    [Test]
    public void Disabled_stanzas_and_other_suites_give_nothing()
    {
        Write("etc/apt/sources.list.d/debian.sources", """
            Types: deb
            URIs: http://mirror.example/debian
            Suites: bookworm
            Enabled: no

            Types: deb
            URIs: http://mirror.example/debian
            Suites: trixie

            """);

        Assert.That(AptMirror.Find("bookworm", root), Is.Null);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
