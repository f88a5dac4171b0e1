using System.Text;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A recipe folder whose copy sources are the same bytes however they were checked out: see
/// <see cref="SourceTreeVariant"/>. The tree has what tends to break reproducibility: hard links,
/// symlinks, names whose order depends on culture, a path long enough for a PAX header, empty files
/// and folders.
/// </summary>
public static class ReproducibleWorkspace
{
    public const string LongPath = "a-folder-with-a-rather-long-name/another-folder-with-a-long-name/and-a-file-name-long-enough-for-pax.txt";

    public const string Recipe = """
        image: example/repro
        tags: ["1.0", latest]
        created: "2024-05-06T07:08:09Z"
        config:
          entrypoint: ["/app/bin/run"]
          env: { MODE: repro }
        steps:
          - name: app
            copy:
              - { src: src/, dest: /app/ }
          - name: extras
            copy:
              - { src: "src/names/*.txt", dest: /globbed/ }
            files:
              - { path: /etc/repro.conf, content: "x=1\n" }
            symlinks:
              - { path: /usr/local/bin/run, target: /app/bin/run }
        """;

    private static readonly (string Path, string Content, bool Executable)[] Files =
    [
        ("bin/run", "#!/bin/sh\nexec app\n", true),
        ("lib/a.txt", "shared by two names", false),
        ("names/I.txt", "I", false),
        ("names/i.txt", "i", false),
        ("names/\u0130.txt", "dotted capital I", false),
        ("names/\u0131.txt", "dotless i", false),
        ("names/\u00c4.txt", "A umlaut", false),
        ("names/-dash.txt", "dash", false),
        ("names/_under.txt", "underscore", false),
        ("names/Z.txt", "Z", false),
        ("data/zero.bin", "", false),
        (LongPath, "long", false),
    ];

    /// <summary>Writes layerbuild.yml and src/ into <paramref name="folder"/> the way <paramref name="variant"/> says.</summary>
    public static string Create(string folder, SourceTreeVariant variant)
    {
        var src = Path.Combine(folder, "src");
        var files = variant.ReverseOrder ? Files.Reverse().ToArray() : Files;
        var offset = 0;
        foreach (var (path, content, executable) in files)
        {
            var full = Path.Combine(src, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content, new UTF8Encoding(false));
            File.SetUnixFileMode(full, (UnixFileMode)(executable ? variant.ExecutableMode : variant.FileMode));
            File.SetLastWriteTimeUtc(full, variant.ModifiedTime.AddMinutes(offset++));
        }

        // lib/b.txt is a second name of lib/a.txt; the scrambled variant links the other way round.
        var (first, second) = variant.ReverseOrder ? ("b.txt", "a.txt") : ("a.txt", "b.txt");
        if (variant.ReverseOrder)
        {
            File.Move(Path.Combine(src, "lib", "a.txt"), Path.Combine(src, "lib", "b.txt"));
        }

        HostLinks.CreateHardLink(Path.Combine(src, "lib", first), Path.Combine(src, "lib", second));
        File.CreateSymbolicLink(Path.Combine(src, "lib", "link"), "a.txt");
        Directory.CreateDirectory(Path.Combine(src, "empty"));

        foreach (var dir in Directory.GetDirectories(src, "*", SearchOption.AllDirectories).Append(src))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)variant.FolderMode);
            Directory.SetLastWriteTimeUtc(dir, variant.ModifiedTime.AddDays(1));
        }

        var recipe = Path.Combine(folder, "layerbuild.yml");
        File.WriteAllText(recipe, Recipe);
        return recipe;
    }
}
