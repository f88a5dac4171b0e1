using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// Steps that cannot mean one thing fail with a stable code: a path written twice names both sources,
/// a remove of a path no lower layer has is refused; and a failed build leaves nothing at the output.
/// </summary>
public sealed class StepErrorsNameTheirCauseTests
{
    [Test]
    public async Task A_path_written_twice_in_one_step_is_LB2003_naming_both_sources()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("conf/app.conf", "from host");
        var output = temp.Combine("out", "image.tar");

        var errors = await RecipeBuild.FailAsync(temp, """
            image: example/twice
            steps:
              - copy:
                  - { src: conf/app.conf, dest: /etc/app.conf }
                files:
                  - { path: /etc/app.conf, content: inline }
            """, output);

        var d = errors.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(d.Code.Id, Is.EqualTo("LB2003"));
            Assert.That(d.Message, Does.Contain("/etc/app.conf"));
            Assert.That(d.Message, Does.Contain("copy of").And.Contain("conf/app.conf"), "the first source");
            Assert.That(d.Message, Does.Contain("files entry /etc/app.conf"), "the second source");
            Assert.That(d.Position.Line, Is.EqualTo(6));
            Assert.That(File.Exists(output), Is.False, "nothing is left at the output path");
        }
    }

    [Test]
    public async Task Two_files_entries_for_one_path_are_LB2003()
    {
        using var temp = new TempDirectory();

        var errors = await RecipeBuild.FailAsync(temp, """
            image: example/twice
            steps:
              - files:
                  - { path: /a, content: one }
                symlinks:
                  - { path: /a, target: /b }
            """, temp.Combine("out", "image.tar"));

        Assert.That(errors.Single().Code.Id, Is.EqualTo("LB2003"));
        Assert.That(errors.Single().Message, Does.Contain("files entry /a").And.Contain("symlinks entry /a"));
    }

    [Test]
    public async Task Folders_written_twice_merge_instead_of_failing()
    {
        using var temp = new TempDirectory();

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/merge
            steps:
              - dirs:
                  - { path: /data }
                files:
                  - { path: /data/a, content: a }
            """);

        Assert.That(archive.Layer(0).Select(m => m.Name), Is.EqualTo(new[] { "data/", "data/a" }));
    }

    [Test]
    public async Task Removing_a_path_no_lower_layer_has_is_LB2004_and_leaves_no_output()
    {
        using var temp = new TempDirectory();
        new RootfsTar().Folder("etc/").WriteTo(temp.Combine("rootfs.tar"));
        var output = temp.Combine("out", "image.tar");

        var errors = await RecipeBuild.FailAsync(temp, """
            image: example/missing
            base: { rootfs: rootfs.tar }
            steps:
              - files:
                  - { path: /etc/x, content: x }
              - remove:
                  - /etc/nothing-here
            """, output);

        var d = errors.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(d.Code.Id, Is.EqualTo("LB2004"));
            Assert.That(d.Message, Does.Contain("/etc/nothing-here"));
            Assert.That((d.Position.Line, d.Position.Column), Is.EqualTo((7, 9)));
            Assert.That(File.Exists(output), Is.False);
            Assert.That(Directory.Exists(temp.Combine("out")) ? Directory.GetFileSystemEntries(temp.Combine("out")) : [], Is.Empty,
                "no staging folder or partial archive is left behind");
        }
    }

    [Test]
    public async Task Removing_a_path_written_in_the_same_step_is_still_LB2004()
    {
        using var temp = new TempDirectory();

        var errors = await RecipeBuild.FailAsync(temp, """
            image: example/missing
            steps:
              - files:
                  - { path: /x, content: x }
                remove: [/x]
            """, temp.Combine("out", "image.tar"));

        Assert.That(errors.Select(e => e.Code.Id), Is.EqualTo(new[] { "LB2004" }));
    }
}
