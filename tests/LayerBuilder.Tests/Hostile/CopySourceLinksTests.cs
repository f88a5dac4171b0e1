using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A copy source that is a symlink is followed, as COPY does. When it leads nowhere (dangling) or round
/// in a loop, the user gets an LB diagnostic at the copy's <c>src</c> naming the link, never an internal
/// error.
/// </summary>
public sealed class CopySourceLinksTests
{
    private const string Header = "image: example/links\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n  - copy:\n";
    private const int SrcLine = 5;
    private const int SrcColumn = 16;

    [Test]
    public async Task A_dangling_symlink_as_the_copy_source_is_a_missing_source()
    {
        using var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.Combine("app.conf"), "nowhere.conf");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: app.conf, dest: /etc/app.conf }\n", "LB2001", SrcLine, SrcColumn, "app.conf", "nowhere.conf");
    }

    [Test]
    public async Task A_symlink_loop_as_the_copy_source_cannot_be_read()
    {
        using var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.Combine("a"), "b");
        File.CreateSymbolicLink(folder.Combine("b"), "a");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: a, dest: /etc/a }\n", "LB2011", SrcLine, SrcColumn, $"'{folder.Combine("a")}'", "symbolic links");
    }

    [Test]
    public async Task A_link_to_itself_as_the_copy_source_cannot_be_read()
    {
        using var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.Combine("self"), "self");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: self, dest: /self }\n", "LB2011", SrcLine, SrcColumn, $"'{folder.Combine("self")}'");
    }

    [Test]
    public async Task A_glob_that_matches_a_dangling_symlink_names_it()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("conf/a.conf", "a\n");
        File.CreateSymbolicLink(folder.Combine("conf", "b.conf"), "gone.conf");

        await HostileRun.FailsAsync(folder.Path, Header + "      - { src: \"conf/*.conf\", dest: /etc/ }\n", "LB2001", SrcLine, SrcColumn, "b.conf", "gone.conf");
    }

    [Test]
    public async Task Dangling_symlinks_below_a_copied_folder_stay_symlinks()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("app/a.txt", "a\n");
        File.CreateSymbolicLink(folder.Combine("app", "dangling"), "nowhere");
        File.CreateSymbolicLink(folder.Combine("app", "loop"), "loop");

        await HostileRun.SucceedsAsync(folder.Path, Header + "      - { src: app, dest: /app/ }\n");
    }

    [Test]
    public async Task An_extract_source_that_fails_to_read_is_unreadable_not_an_internal_error()
    {
        // /proc/self/mem is a regular file to stat whose first page cannot be read (EIO): a read error
        // that happens even for root, who reads past any permission bits.
        using var folder = new TempDirectory();

        await HostileRun.FailsAsync(folder.Path, Header.Replace("copy:", "extract:", StringComparison.Ordinal) + "      - { src: /proc/self/mem, dest: /opt }\n",
            "LB2011", SrcLine, SrcColumn, "/proc/self/mem");
    }
}
