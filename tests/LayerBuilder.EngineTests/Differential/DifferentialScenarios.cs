using System.Formats.Tar;

namespace LayerBuilder.EngineTests.Differential;

/// <summary>
/// The scenarios of the differential tier (docs/testing.md): together they cover trees with every mode
/// bit, empty folders, relative/absolute/dangling/climbing symlinks, hard-link groups, destinations
/// through base symlinks (to folders and onto links to files), copies into existing folders with unusual
/// modes and owners, tars with owners and special bits, removals and re-creation, and every config key.
/// The shared Debian base carries the links and odd folders they aim at (<see cref="DifferentialBases"/>).
/// </summary>
public static class DifferentialScenarios
{
    public static IReadOnlyList<DifferentialScenario> All { get; } =
    [
        new("trees-and-modes", ScenarioBase.Debian, """
            FROM {{BASE}}
            COPY tree/ /opt/tree/
            COPY tree/f4755 /usr/local/bin/suid-tool
            COPY --chown=1000:1000 tree/ /opt/owned-tree/
            """, ModeTree),
        new("links", ScenarioBase.Debian, """
            FROM {{BASE}}
            COPY links/ /opt/links/
            COPY links/rel /opt/followed-source
            COPY replace/ /opt/links/
            """, c => c
                .Folder("replace", "0755")
                .File("replace/rel", "a file where the lower layer has a link\n")
                .Folder("replace/dir-link", "0755")
                .File("replace/dir-link/through.txt", "into the linked folder\n")
                .Folder("links", "0755")
                .File("links/target.txt", "target\n")
                .Symlink("links/rel", "target.txt")
                .Symlink("links/abs", "/usr/share/lbdiff/target.txt")
                .Symlink("links/dangling", "missing.txt")
                .Symlink("links/climbing", "../../../../../etc/passwd")
                .Folder("links/sub", "0755")
                .File("links/sub/file.txt", "sub\n")
                .Symlink("links/dir-link", "sub")
                .File("links/h1", "hard group one\n", "0640")
                .Hardlink("links/h2", "links/h1")
                .Hardlink("links/sub/h3", "links/h1")
                .File("links/sub/g1", "hard group two\n", "0755")
                .Hardlink("links/g2", "links/sub/g1")),
        new("through-base-links", ScenarioBase.Debian, """
            FROM {{BASE}}
            COPY hello.txt /etc/os-release
            COPY hello.txt /etc/lbdiff-abs
            COPY hello.txt /etc/lbdiff-rel
            COPY hello.txt /etc/lbdiff-dangling
            COPY hello.txt /etc/lbdiff-climbing
            COPY lib.txt /lib/lbdiff/lib.txt
            COPY tool.sh /bin/lbdiff-tool
            COPY hello.txt /srv/odd-link/
            COPY tree/ /srv/odd-link/tree/
            """, c => c
                .File("hello.txt", "hello through a link\n")
                .File("lib.txt", "merged usr\n")
                .File("tool.sh", "#!/bin/sh\necho tool\n", "0755")
                .Folder("tree", "0755")
                .File("tree/a.txt", "a\n")),
        new("existing-folders", ScenarioBase.Debian, """
            FROM {{BASE}}
            COPY a.txt /srv/odd/
            COPY --chown=1000:1000 tree/ /srv/sticky/sub/
            COPY --chown=daemon b.txt /srv/private/
            COPY a.txt /tmp/
            COPY tree/ /srv/private/
            """, c => c
                .File("a.txt", "a\n")
                .File("b.txt", "b\n", "0600")
                .Folder("tree", "0700")
                .File("tree/x.txt", "x\n", "0664")
                .Folder("tree/inner", "2750")
                .File("tree/inner/y.txt", "y\n")),
        new("tars", ScenarioBase.Debian, """
            FROM {{BASE}}
            ADD owners.tar /opt/tar/
            ADD special.tar.gz /opt/targz
            ADD plain.txt /opt/plain.txt
            """, c => c
                .File("plain.txt", "not an archive\n", "0640")
                .Tar("owners.tar",
                    new TarItem(TarEntryType.Directory, "app/", "0750", 1234, 5678),
                    new TarItem(TarEntryType.RegularFile, "app/run", "4755", 1234, 5678, "#!/bin/sh\n"),
                    new TarItem(TarEntryType.RegularFile, "app/group-tool", "2711", 0, 5678, "tool\n"),
                    new TarItem(TarEntryType.Directory, "app/shared/", "1777", 0, 0),
                    new TarItem(TarEntryType.SymbolicLink, "app/link", "0777", 1234, 5678, "run"),
                    new TarItem(TarEntryType.HardLink, "app/run-again", "4755", 1234, 5678, "app/run"),
                    new TarItem(TarEntryType.RegularFile, "top.txt", "0444", 65534, 65534, "top\n"))
                .Tar("special.tar.gz",
                    new TarItem(TarEntryType.Directory, "./", "0700", 0, 0),
                    new TarItem(TarEntryType.Directory, "./empty/", "0711", 1000, 1000),
                    new TarItem(TarEntryType.RegularFile, "./sticky-file", "1644", 1000, 1000, "sticky\n"),
                    new TarItem(TarEntryType.SymbolicLink, "./abs-link", "0777", 0, 0, "/etc/passwd"))),
        new("remove-recreate", ScenarioBase.Debian, """
            FROM {{BASE}}
            RUN rm -rf /usr/share/doc /etc/lbdiff-abs /srv/sticky
            COPY doc/ /usr/share/doc/
            COPY hello.txt /etc/lbdiff-abs
            """, c => c
                .File("hello.txt", "recreated\n")
                .Folder("doc", "0755")
                .File("doc/README", "new docs\n")
                .Folder("doc/empty", "0755")),
        new("config", ScenarioBase.Debian, """
            FROM {{BASE}}
            ARG VERSION=2.5
            ENV PATH=/opt/app/bin:$PATH APP_VERSION=$VERSION
            ENV PATH_COPY=$PATH GREETING="hello world"
            LABEL org.example.version=$VERSION org.example.name="differential config"
            EXPOSE 8080 53/udp 9090/tcp
            VOLUME ["/data", "/srv/cache"]
            WORKDIR /srv
            USER daemon:daemon
            HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=4 CMD ["/bin/true", "--check"]
            STOPSIGNAL SIGINT
            ENTRYPOINT ["/bin/echo", "entry"]
            CMD ["from-cmd"]
            COPY config.txt /srv/config.txt
            """, c => c.File("config.txt", "config\n")),
        new("busybox", ScenarioBase.Busybox, """
            FROM {{BASE}}
            ENV PATH=/app/bin:$PATH
            COPY --chown=1000:1000 app/ /app/
            RUN rm -rf /opt/legacy /etc/obsolete.conf
            ENTRYPOINT /app/bin/run --flag
            HEALTHCHECK NONE
            USER 1000
            """, c => c
                .Folder("app", "0755")
                .Folder("app/bin", "0755")
                .File("app/bin/run", "#!/bin/sh\necho run\n", "0755")
                .Folder("app/data", "0770")),
        new("scratch", ScenarioBase.Scratch, """
            FROM scratch
            COPY hello.txt /hello.txt
            COPY tree/ /
            ENV A=1
            CMD ["/hello"]
            """, c => c
                .File("hello.txt", "hello\n", "0755")
                .Folder("tree", "0700")
                .Folder("tree/etc", "0755")
                .File("tree/etc/app.conf", "conf\n", "0600")),
    ];

    /// <summary>Files with every permission and special bit, folders of unusual modes, empty folders.</summary>
    private static void ModeTree(ScenarioContext context)
    {
        context.Folder("tree", "0750");
        foreach (var mode in new[] { "0644", "0755", "0600", "0000", "0777", "4755", "2755", "1755", "6750", "0444" })
        {
            context.File($"tree/f{mode}", $"mode {mode}\n", mode);
        }

        context
            .Folder("tree/d0750", "0750").File("tree/d0750/inner.txt", "inner\n")
            .Folder("tree/d1777", "1777").File("tree/d1777/inner.txt", "inner\n")
            .Folder("tree/d2775", "2775").File("tree/d2775/inner.txt", "inner\n")
            .Folder("tree/d0700", "0700").File("tree/d0700/inner.txt", "inner\n")
            .Folder("tree/d0555", "0555").File("tree/d0555/inner.txt", "inner\n")
            .Folder("tree/empty", "0755")
            .Folder("tree/empty-odd", "0711")
            .Folder("tree/nested", "0755").Folder("tree/nested/deeper", "0755").Folder("tree/nested/deeper/deepest", "0755")
            .File("tree/nested/deeper/deepest/leaf.txt", "leaf\n");
    }
}
