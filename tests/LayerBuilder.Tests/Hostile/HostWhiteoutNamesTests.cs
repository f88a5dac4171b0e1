using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A host file or folder named like a whiteout marker (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>) under a
/// <c>copy</c> source would, written as-is, delete NAME (or a whole folder's lower contents) from the
/// image when it is loaded. Such names are refused with LB2021, naming the host path and pointing at the
/// copy's <c>src</c>.
/// </summary>
public sealed class HostWhiteoutNamesTests
{
    private const string Header = "image: example/whiteout\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n  - copy:\n";

    // Line 5 of every recipe below: "      - { src: ..." — the src value starts at column 16.
    private const int SrcLine = 5;
    private const int SrcColumn = 16;

    [Test]
    public async Task A_file_named_like_a_whiteout_under_a_copied_folder_is_refused()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/ok.txt", "fine\n");
        var marker = folder.WriteFile("app/.wh.etc", "");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: app, dest: / }\n", "LB2021", SrcLine, SrcColumn, marker, "whiteout");
    }

    [Test]
    public async Task An_opaque_marker_deep_under_a_copied_folder_is_refused()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/bin/tool", "#!/bin/sh\n");
        var marker = folder.WriteFile("app/bin/.wh..wh..opq", "");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: app, dest: / }\n", "LB2021", SrcLine, SrcColumn, marker, "whiteout");
    }

    [Test]
    public async Task A_folder_named_like_a_whiteout_is_refused()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/.wh.var/inside.txt", "x\n");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: app, dest: /srv/ }\n", "LB2021", SrcLine, SrcColumn, folder.Combine("app", ".wh.var"));
    }

    [Test]
    public async Task A_symlink_named_like_a_whiteout_is_refused()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/real", "x\n");
        File.CreateSymbolicLink(folder.Combine("app", ".wh.real"), "real");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: app, dest: /srv/ }\n", "LB2021", SrcLine, SrcColumn, folder.Combine("app", ".wh.real"));
    }

    [Test]
    public async Task A_single_file_copied_into_a_folder_under_its_own_whiteout_name_is_refused()
    {
        using var folder = new TempDirectory();
        var marker = folder.WriteFile(".wh.passwd", "");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: .wh.passwd, dest: /etc/ }\n", "LB2021", SrcLine, SrcColumn, marker);
    }

    [Test]
    public async Task A_glob_match_named_like_a_whiteout_is_refused()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("conf/a.conf", "a\n");
        var marker = folder.WriteFile("conf/.wh..wh..opq", "");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: \"conf/.*\", dest: /etc/ }\n", "LB2021", SrcLine, SrcColumn, marker);
    }

    [Test]
    public async Task Names_that_only_look_similar_are_copied()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/a.wh.b", "1\n");
        folder.WriteFile("app/.whx", "2\n");
        folder.WriteFile("app/.wh", "3\n");
        folder.WriteFile("app/wh..wh..opq", "4\n");

        await HostileRun.SucceedsAsync(folder.Path, Header + "      - { src: app, dest: / }\n");
    }
}
