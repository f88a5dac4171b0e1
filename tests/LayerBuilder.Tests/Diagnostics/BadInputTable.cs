namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// The table of bad recipes and bad inputs (issue 3, "Diagnostics"): each row is a mistake a user
/// makes, with the code, the place and the words the answer must have. Rows are grouped as the
/// diagnostics table in docs/diagnostics.md is.
/// </summary>
public static class BadInputTable
{
    private const string Header = "image: example/bad\ncreated: \"2024-01-01T00:00:00Z\"\n";

    public static IEnumerable<BadInput> All()
    {
        // Unknown keys at every level: each names the nearest known key.
        yield return Row("unknown key at the root", Header + "»tagz: [\"1.0\"]\n", "LB1003", "unknown key 'tagz'", "did you mean 'tags'?");
        yield return Row("unknown key in base", Header + "base: { image: base.tar, »reff: \"a:1\" }\n", "LB1003", "'reff'", "did you mean 'ref'?");
        yield return Row("unknown key in defaults", Header + "defaults:\n  »dirmod: \"0755\"\n", "LB1003", "'dirmod'", "did you mean 'dirMode'?");
        yield return Row("unknown key in config", Header + "config:\n  »entrypiont: [\"/app\"]\n", "LB1003", "'entrypiont'", "did you mean 'entrypoint'?");
        yield return Row("unknown key in healthcheck", Header + "config:\n  healthcheck: { test: [\"NONE\"], »intervall: 30s }\n", "LB1003", "'intervall'", "did you mean 'interval'?");
        yield return Row("unknown key in a step", Header + "steps:\n  - »nmae: app\n    dirs: [{ path: /app }]\n", "LB1003", "'nmae'", "did you mean 'name'?");
        yield return Row("unknown key in copy", Header + "steps:\n  - copy:\n      - { src: app, dest: /app/, »exlude: [\"*.pdb\"] }\n", "LB1003", "'exlude'", "did you mean 'exclude'?");
        yield return Row("unknown key in files", Header + "steps:\n  - files:\n      - path: /a\n        content: a\n        »mdoe: \"0644\"\n", "LB1003", "'mdoe'", "did you mean 'mode'?");
        yield return Row("unknown key in dirs", Header + "steps:\n  - dirs:\n      - { path: /data, »onwer: \"1:1\" }\n", "LB1003", "'onwer'", "did you mean 'owner'?");
        yield return Row("unknown key in symlinks", Header + "steps:\n  - symlinks:\n      - { path: /a, target: b, »ownr: \"0:0\" }\n", "LB1003", "'ownr'", "did you mean 'owner'?");
        yield return Row("unknown key in hardlinks", Header + "steps:\n  - hardlinks:\n      - { path: /a, target: /b, »targets: /c }\n", "LB1003", "'targets'", "did you mean 'target'?");
        yield return Row("unknown key in extract", Header + "steps:\n  - extract:\n      - { src: t.tar, dest: /opt, »dset: /x }\n", "LB1003", "'dset'", "did you mean 'dest'?");

        // Wrong shapes: a list where a mapping belongs and the other way round, words where a flag belongs.
        yield return Row("steps given as a mapping", Header + "steps: »{ name: app }\n", "LB1004", "'steps' must be a list", "it is a mapping");
        yield return Row("config given as a list", Header + "config: »[\"/app\"]\n", "LB1004", "'config' must be a mapping", "it is a list");
        yield return Row("env given as a list", Header + "config:\n  env: »[\"A=1\"]\n", "LB1004", "'config.env' must be a mapping", "it is a list");
        yield return Row("a copy item given as a string", Header + "steps:\n  - copy: [»app]\n", "LB1004", "'copy' item of step 1 must be a mapping", "a single value");
        yield return Row("preserveMode not true or false", Header + "steps:\n  - copy:\n      - { src: app, dest: /app, preserveMode: »yes }\n", "LB1004", "true or false", "'yes'");
        yield return Row("healthcheck retries not a number", Header + "config:\n  healthcheck: { test: [\"NONE\"], retries: »three }\n", "LB1004", "retries 'three'", "whole number");
        yield return Row("healthcheck test of an unknown kind", Header + "config:\n  healthcheck: { test: »[\"RUN\", \"x\"] }\n", "LB1004", "CMD, CMD-SHELL or NONE", "'RUN'");

        // Values with a little language of their own.
        yield return Row("mode with a digit that is not octal", Header + "steps:\n  - files:\n      - { path: /a, content: a, mode: »\"0999\" }\n", "LB1020", "mode '0999'", "octal", "\"0755\"");
        yield return Row("mode in letters", Header + "steps:\n  - dirs:\n      - { path: /a, mode: »rwx }\n", "LB1020", "mode 'rwx'", "octal");
        yield return Row("default mode too large", Header + "defaults:\n  fileMode: »\"77777\"\n", "LB1020", "fileMode '77777'");
        yield return Row("owner with three parts", Header + "steps:\n  - dirs:\n      - { path: /a, owner: »\"root:wheel:staff\" }\n", "LB1021", "'root:wheel:staff'", "uid:gid");
        yield return Row("owner with an empty group", Header + "defaults:\n  owner: »\"1000:\"\n", "LB1021", "'1000:'", "uid:gid");
        yield return Row("config user that is no user", Header + "config:\n  user: »\"app user\"\n", "LB1031", "user 'app user'", "uid[:gid]");
        yield return Row("image name in capitals", "image: »Example/Hello\n", "LB1010", "'Example/Hello'", "lowercase");
        yield return Row("image name with a tag", "image: »example/hello:1.0\n", "LB1010", "tag", "'tags'");
        yield return Row("tag starting with a dash", "image: example/hello\ntags: [latest, »\"-beta\"]\n", "LB1011", "tag '-beta'", "128");
        yield return Row("empty tag list", "image: example/hello\ntags: »[]\n", "LB1011", "'tags' is empty");
        yield return Row("platform without architecture", "image: example/hello\nplatform: »linux\n", "LB1012", "'linux'", "linux/arm64/v8");
        yield return Row("created that is no time", "image: example/hello\ncreated: »yesterday\n", "LB1013", "'yesterday'", "RFC 3339");
        yield return Row("port out of range", Header + "config:\n  ports: [\"8080/tcp\", »\"70000/tcp\"]\n", "LB1025", "'70000/tcp'", "1-65535");
        yield return Row("port with an unknown protocol", Header + "config:\n  ports: [»\"53/icmp\"]\n", "LB1025", "'53/icmp'", "tcp|udp|sctp");
        yield return Row("stop signal unknown", Header + "config:\n  stopSignal: »SIGFOO\n", "LB1026", "'SIGFOO'", "SIGTERM");
        yield return Row("duration in words", Header + "config:\n  healthcheck: { test: [\"NONE\"], interval: »30 seconds }\n", "LB1027", "interval '30 seconds'", "1m30s");
        yield return Row("base64 that is not base64", Header + "steps:\n  - files:\n      - { path: /a, base64: »\"not base64!\" }\n", "LB1028", "not valid base64");
        yield return Row("glob with an unclosed class", Header + "steps:\n  - copy:\n      - { src: app, dest: /app, include: [»\"[abc\"] }\n", "LB1030", "'[abc'", "']'");
        yield return Row("workdir relative", Header + "config:\n  workdir: »app\n", "LB1022", "workdir 'app'", "absolute");

        // Recipe structure.
        yield return Row("image missing", "»tags: [latest]\n", "LB1005", "needs 'image:'");
        yield return Row("step that does nothing", Header + "steps:\n  - »name: nothing\n", "LB1029", "step 1 does nothing");
        yield return Row("base that is no image reference", Header + "base: »Debian:12\n", "LB1036", "base 'Debian:12'", "scratch", "lowercase");
        yield return Row("copy source with a NUL", Header + "steps:\n  - copy:\n      - { src: »\"app\\0x\", dest: /app/ }\n", "LB1069", "'src' of", "NUL");
        yield return Row("base rootfs with a NUL", Header + "base: { rootfs: »\"root\\0.tar\" }\n", "LB1069", "'base.rootfs'", "NUL");
        yield return Row("extract source with a NUL", Header + "steps:\n  - extract:\n      - { src: »\"t\\0.tar\", dest: /opt }\n", "LB1069", "'src' of", "NUL");
        yield return Row("base reference with a bad digest", Header + "base: »\"debian@sha256:abc\"\n", "LB1036", "'sha256:abc' is not a digest");
        yield return Row("base of two kinds", Header + "base: »{ rootfs: r.tar, image: i.tar }\n", "LB1032", "exactly one of");
        yield return Row("ref for a rootfs", Header + "base: { rootfs: r.tar, ref: »\"a:1\" }\n", "LB1032", "'ref'", "rootfs");
        yield return Row("file with content and base64", Header + "steps:\n  - files:\n      - »{ path: /a, content: a, base64: YQ== }\n", "LB1032", "exactly one of 'content'");
        yield return Row("file with neither content nor base64", Header + "steps:\n  - files:\n      - »{ path: /a, mode: \"0644\" }\n", "LB1005", "exactly one of 'content'");
        yield return Row("copy without dest", Header + "steps:\n  - copy:\n      - »{ src: app }\n", "LB1005", "needs 'dest'");
        yield return Row("preserveMode with mode", Header + "steps:\n  - copy:\n      - { src: app, dest: /app, mode: \"0755\", preserveMode: »true }\n", "LB1032", "preserveMode", "mode");

        // Image paths.
        yield return Row("relative file path", Header + "steps:\n  - files:\n      - { path: »etc/hello.conf, content: a }\n", "LB1022", "'etc/hello.conf' is not absolute");
        yield return Row("relative copy dest", Header + "steps:\n  - copy:\n      - { src: app, dest: »app/ }\n", "LB1022", "dest 'app/' is not absolute");
        yield return Row("dir path climbing above the root", Header + "steps:\n  - dirs:\n      - { path: »/../etc }\n", "LB1023", "'/../etc' climbs above '/'");
        yield return Row("copy dest climbing above the root", Header + "steps:\n  - copy:\n      - { src: app, dest: »/app/../../x }\n", "LB1023", "climbs above '/'");
        yield return Row("remove climbing above the root", Header + "steps:\n  - remove: [»/tmp/../../etc]\n", "LB1023", "climbs above '/'");
        yield return Row("workdir climbing above the root", Header + "config:\n  workdir: »/../x\n", "LB1023", "workdir: '/../x' climbs above '/'");
        yield return Row("volume climbing above the root", Header + "config:\n  volumes: [/data, »/data/../../x]\n", "LB1023", "volume: '/data/../../x' climbs above '/'");
        yield return Row("symlink target with a NUL", Header + "steps:\n  - symlinks:\n      - { path: /a, target: »\"safe\\0/../../etc/shadow\" }\n", "LB1023", "NUL");
        yield return Row("copy dest with a NUL", Header + "steps:\n  - copy:\n      - { src: app, dest: »\"/app\\0/x\" }\n", "LB1023", "NUL") with
        {
            Arrange = w => w.Write("app", "a\n"),
        };
        yield return Row("hardlink target with a NUL", Header + "steps:\n  - hardlinks:\n      - { path: /a, target: »\"/safe\\0/x\" }\n", "LB1023", "NUL");

        // Whiteout names: in a layer such a name deletes files of the layers below, so only 'remove' writes one.
        yield return Row("file path with a whiteout name", Header + "steps:\n  - files:\n      - { path: »/etc/.wh.passwd, content: a }\n", "LB1035", "'.wh.passwd'", "remove");
        yield return Row("dir path with the opaque whiteout name", Header + "steps:\n  - dirs:\n      - { path: »/bin/.wh..wh..opq }\n", "LB1035", "'.wh..wh..opq'");
        yield return Row("symlink path under a whiteout name", Header + "steps:\n  - symlinks:\n      - { path: »/.wh.etc/x, target: /tmp }\n", "LB1035", "'.wh.etc'");
        yield return Row("hardlink path with a whiteout name", Header + "steps:\n  - hardlinks:\n      - { path: »/.wh.a, target: /a }\n", "LB1035", "'.wh.a'");
        yield return Row("copy dest with a whiteout name", Header + "steps:\n  - copy:\n      - { src: app, dest: »/app/.wh.x/ }\n", "LB1035", "'.wh.x'");
        yield return Row("extract dest with the opaque whiteout name", Header + "steps:\n  - extract:\n      - { src: t.tar, dest: »/opt/.wh..wh..opq }\n", "LB1035", "'.wh..wh..opq'");

        // Args.
        yield return Row("unknown arg", Header + "args: { VERSION: \"1.0\" }\nconfig:\n  env: { V: »\"${VERSOIN}\" }\n", "LB1014", "${VERSOIN}", "known args: VERSION", "--arg VERSOIN=VALUE");
        yield return Row("malformed arg reference", Header + "config:\n  env: { V: »\"${1abc}\" }\n", "LB1015", "malformed", "$${");
        yield return Row("arg name that is no name", Header + "args: { »my-arg: x }\n", "LB1015", "'my-arg'");

        // Inputs the steps name.
        yield return Row("copy source missing", Header + "steps:\n  - copy:\n      - { src: »publish/, dest: /app/ }\n", "LB2001", "'", "publish", "does not exist");
        yield return Row("copy glob matching nothing", Header + "steps:\n  - copy:\n      - { src: »\"bin/*.dll\", dest: /app/ }\n", "LB2002", "matches nothing") with
        {
            Arrange = w => w.Write("bin/readme.txt", "no dlls here\n"),
        };
        yield return Row("copy include matching nothing", Header + "steps:\n  - copy:\n      - { src: bin, dest: /app/, include: [»\"**/*.dll\"] }\n", "LB2002", "'**/*.dll' matches nothing") with
        {
            Arrange = w => w.Write("bin/readme.txt", "no dlls here\n"),
        };
        yield return Row("path written twice in one step", Header + "steps:\n  - files:\n      - { path: /etc/app.conf, content: a }\n      - »{ path: /etc/./app.conf, content: b }\n", "LB2003", "/etc/app.conf is written twice", "first by files entry /etc/app.conf (line 5, column 9)");
        yield return Row("copy and file writing the same path", Header + "steps:\n  - copy:\n      - { src: app.conf, dest: /etc/app.conf }\n    files:\n      - »{ path: /etc/app.conf, content: b }\n", ["LB2003"], ["written twice", "copy of"]) with
        {
            Arrange = w => w.Write("app.conf", "a\n"),
        };
        yield return Row("remove of a path no lower layer has", Header + "steps:\n  - dirs: [{ path: /data }]\n  - remove: [»/usr/share/doc]\n", "LB2004", "cannot remove /usr/share/doc", "no lower layer has it");
        yield return Row("remove glob matching nothing", Header + "steps:\n  - dirs: [{ path: /var/cache }]\n  - remove: [»\"/var/cache/apt/**\"]\n", "LB2004", "/var/cache/apt/** matches nothing");
        yield return Row("hardlink target missing", Header + "steps:\n  - hardlinks:\n      - { path: /a, target: »/b }\n", "LB2005", "hardlink target /b does not exist");
        yield return Row("hardlink to a folder", Header + "steps:\n  - dirs: [{ path: /d }]\n  - hardlinks:\n      - { path: /a, target: »/d }\n", "LB2006", "is a folder");
        yield return Row("file under a file", Header + "steps:\n  - files: [{ path: /a, content: x }]\n  - files:\n      - »{ path: /a/b, content: y }\n", "LB2007", "/a is a file in a lower layer, not a folder");
        yield return Row("owner names with no /etc/passwd in the image", Header + "steps:\n  - dirs:\n      - { path: /srv, owner: »»\"app:app\" }\n", ["LB2020", "LB2020"], ["user 'app'", "group 'app'", "no /etc/passwd yet"]);
        yield return Row("owner name not in the base image's /etc/passwd", Header + "base: { image: \"{fixtures}/base.tar\" }\nsteps:\n  - dirs:\n      - { path: /srv/data, owner: »\"ghost:app\" }\n", "LB2020", "user 'ghost'", "/etc/passwd", "known: app, root");
        yield return Row("config user not in the base image's /etc/passwd", Header + "base: { image: \"{fixtures}/base.tar\" }\nconfig:\n  user: »ghost\n", "LB2020", "user 'ghost'", "known: app, root");
        yield return Row("extract of a tar with a '../' entry", Header + "steps:\n  - extract:\n      - { src: »\"{fixtures}/escape.tar\", dest: /opt }\n", "LB2014", "'../evil.txt'", "climbs out");
        yield return Row("extract of something that is not a tar", Header + "steps:\n  - extract:\n      - { src: »\"{fixtures}/not-a-tar.tar.gz\", dest: /opt }\n", "LB2010", "not a readable tar");
        yield return Row("extract source missing", Header + "steps:\n  - extract:\n      - { src: »tools.tar.gz, dest: /opt }\n", "LB2001", "tools.tar.gz", "does not exist");

        // Bases.
        yield return Row("rootfs missing", Header + "base: { rootfs: »rootfs.tar }\n", "LB2001", "rootfs.tar", "does not exist");
        yield return Row("base image archive missing", Header + "base: { image: »missing.tar }\n", "LB2001", "missing.tar", "does not exist");
        yield return Row("base ref not in the archive", Header + "base: { image: \"{fixtures}/base.tar\", ref: »\"fixtures/base:2.0\" }\n", "LB2016", "'fixtures/base:2.0' is not in", "available: fixtures/base:1.0");
        yield return Row("base archive with two images and no ref", Header + "base: { image: »\"{fixtures}/two-images.tar\" }\n", "LB2017", "several images", "ref:", "fixtures/base:1.0", "fixtures/other:2.0");
        yield return Row("base archive with a corrupted layer", Header + "base: { image: »\"{fixtures}/corrupt.tar\" }\n", "LB2018", "layer 1 of fixtures/base:1.0", "corrupted");
        yield return Row("base layout that is no layout", Header + "base: { layout: »\"{fixtures}/escape.tar\" }\n", "LB2019", "not an OCI layout", "index.json");

        // The recipe file itself.
        yield return Row("YAML with an unclosed quote", "image: example/hello\ntags: [»\"1.0]\n", "LB1001", "YAML syntax error", "quoted scalar");
        yield return Row("YAML key indented less than its siblings", "image: example/hello\nconfig:\n  env:\n    A: \"1\"\n   »B: \"2\"\n", "LB1001", "line 5 is indented 3 spaces", "0, 2 or 4 spaces");
        yield return Row("YAML key indented more than the key above", "image: example/hello\nsteps:\n  - name: app\n     »dirs: [{ path: /app }]\n", "LB1001", "'dirs:' on line 4 is indented 5 spaces", "indent it 4 spaces");
        yield return Row("YAML with a tab for indentation", "image: example/hello\nconfig:\n»\tworkdir: /app\n", "LB1001", "YAML syntax error", "tab", "spaces");
        yield return Row("YAML with a key given twice", "image: example/hello\n»image: example/other\n", "LB1006", "key 'image' is given twice");
        yield return Row("empty recipe file", "", [], ["LB1002", "empty"]) with { Where = w => $"{w.RecipePath}:1:1" };
        yield return Row("recipe of only comments", "# nothing here yet\n", [], ["LB1002", "empty"]) with { Where = w => $"{w.RecipePath}:1:1" };
        yield return Row("recipe that is a list", "»- image: example/hello\n", "LB1004", "the recipe must be a mapping");
        yield return Row("invalid UTF-8 in a path", Header + "steps:\n  - files:\n      - { path: /a»\u00ff, content: a }\n", "LB1001", "not valid UTF-8", "0xFF") with
        {
            RecipeBytes = BadInput.Latin1,
        };
        yield return Row("Latin-1 text in content", Header + "steps:\n  - files:\n      - { path: /a, content: caf»\u00e9 }\n", "LB1001", "not valid UTF-8", "0xE9") with
        {
            RecipeBytes = BadInput.Latin1,
        };
        yield return Row("raw NUL byte in the recipe", Header + "config:\n  workdir: /app»\0\nsteps: []\n", "LB1001", "NUL");
        yield return Row("control character in the recipe", Header + "config:\n  workdir: /a»\u0001pp\n", "LB1001", "U+0001");
        yield return Row("recipe nested 100,000 lists deep", Header + "tags: " + new string('[', 63) + "»" + new string('[', 100_000 - 63) + "\n", "LB1033", "64 levels");
        yield return Row("recipe nested 100 mappings deep", Header + "config:\n  labels:\n" + string.Concat(Enumerable.Range(3, 98).Select(i => new string(' ', 2 * i) + (i == 65 ? "»" : "") + "a:\n")), "LB1033", "64 levels");
        yield return Row("mapping key that is a list", Header + "? »[a, b]\n: x\n", "LB1034", "a list");
        yield return Row("mapping key that is a mapping", Header + "config:\n  labels:\n    »{ a: 1 }: x\n", "LB1034", "a mapping");
        yield return Row("mapping key that is an alias of a large structure", Header + NineFoldAliases(5) + "? »*a5\n: x\n", "LB1034", "an alias", "*a5");
        yield return Row("aliases that expand past a million values", Header + NineFoldAliases(6, markFirstAliasOf: 6), "LB1033", "1,000,000");
        yield return Row("alias inside the node it names", Header + "tags: &t [a, »*t]\n", "LB1033", "*t", "inside");
        yield return Row("a folder given as recipe", "", [], ["LB2013", "is a folder", "layerbuild.yml"]) with
        {
            RecipeArgument = w => w.CreateFolder("recipes"),
            Where = w => $"{Path.Combine(w.Folder, "recipes")}:1:1",
        };
        yield return Row("a missing recipe file", "", [], ["LB2013", "does not exist"]) with
        {
            RecipeArgument = w => Path.Combine(w.Folder, "nope.yml"),
            Where = w => $"{Path.Combine(w.Folder, "nope.yml")}:1:1",
        };
        yield return Row("a named pipe given as recipe", "", [], ["LB2013", "not a regular file"]) with
        {
            RecipeArgument = w => w.CreateFifo("layerbuild.yml"),
            Where = w => $"{w.RecipePath}:1:1",
        };
        yield return Row("a recipe that cannot be read", "", [], ["LB2013", "cannot be read", "/proc/self/mem"]) with
        {
            // Reading /proc/self/mem at offset 0 fails with EIO, for root too (root reads any file whatever its mode).
            RecipeArgument = _ => "/proc/self/mem",
            Where = _ => "/proc/self/mem:1:1",
        };
        yield return Row("a recipe over 64 MiB", "", [], ["LB2013", "64 MiB"]) with
        {
            RecipeArgument = w =>
            {
                var huge = Path.Combine(w.Folder, "huge.yml");
                using var file = File.Create(huge);
                file.SetLength(65L << 20); // sparse: no disk is spent on it
                return huge;
            },
            Where = w => $"{Path.Combine(w.Folder, "huge.yml")}:1:1",
        };

        // Several problems: all reported in one run, in file order.
        yield return Row(
            "several recipe errors in one run",
            "image: »Bad/Name\ntags: [»\"-x\"]\nconfig:\n  »entrypiont: [\"/x\"]\n  ports: [»\"0\"]\nsteps:\n  - files:\n      - { path: »etc/x, content: a, mode: »\"0999\" }\n",
            ["LB1010", "LB1011", "LB1003", "LB1025", "LB1022", "LB1020"],
            ["Bad/Name", "'-x'", "did you mean 'entrypoint'?", "'0'", "etc/x", "'0999'"]);
        yield return Row(
            "several step errors in one run",
            Header + "steps:\n  - remove: [»/nothing]\n    copy:\n      - { src: »absent, dest: /a/ }\n    files:\n      - { path: /f, content: a }\n      - »{ path: /f, content: b }\n",
            ["LB2004", "LB2001", "LB2003"],
            ["cannot remove /nothing", "'", "absent", "written twice"]);

        // Fixture entries (docs/recipe.md: nodes, xattrs, mtime, whiteouts, opaque, byte escapes).
        yield return Row("node of an unknown type", Header + "steps:\n  - nodes:\n      - { path: /dev/x, type: »socket }\n", "LB1042", "'socket'", "char, block or fifo");
        yield return Row("device without device numbers", Header + "steps:\n  - nodes:\n      - »{ path: /dev/x, type: char, major: 1 }\n", "LB1043", "needs both 'major' and 'minor'");
        yield return Row("fifo with device numbers", Header + "steps:\n  - nodes:\n      - »{ path: /run/p, type: fifo, major: 1, minor: 2 }\n", "LB1043", "a fifo has no device numbers");
        yield return Row("device number over the header's digits", Header + "steps:\n  - nodes:\n      - »{ path: /dev/x, type: block, major: 2097152, minor: 0 }\n", "LB1043", "major 2097152", "2097151");
        yield return Row("xattr outside the Linux namespaces", Header + "steps:\n  - files:\n      - { path: /a, content: a, xattrs: { »com.apple.quarantine: x } }\n", "LB1044", "'com.apple.quarantine'", "user.NAME");
        yield return Row("xattr value that is not base64", Header + "steps:\n  - dirs:\n      - { path: /a, xattrs: { security.capability: »\"base64:%%\" } }\n", "LB1028", "after 'base64:'");
        yield return Row("mtime that is no time", Header + "steps:\n  - files:\n      - { path: /a, content: a, mtime: »yesterday }\n", "LB1045", "mtime 'yesterday'", "RFC 3339", "Unix seconds");
        yield return Row("mtime finer than 100 ns", Header + "steps:\n  - dirs:\n      - { path: /a, mtime: »1.123456789 }\n", "LB1045", "7 decimal places");
        yield return Row("byte escape without two hex digits", Header + "steps:\n  - files:\n      - { path: »'/caf\\xE', content: a }\n", "LB1046", "two hex digits", "\\xNN");
        yield return Row("byte escape of a slash", Header + "steps:\n  - whiteouts: [»'/a\\x2Fb']\n", "LB1046", "\\x2F", "'/'");
        yield return Row("check that says exists false and asks more", Header + "steps:\n  - dirs: [{ path: /a }]\nchecks:\n  - »{ path: /a, exists: false, mode: \"0755\" }\n", "LB1047", "keep 'exists: false' alone");
        yield return Row("check of an unknown type", Header + "steps:\n  - dirs: [{ path: /a }]\nchecks:\n  - { path: /a, type: »socket }\n", "LB1047", "type 'socket'");
        yield return Row("check with a path and config", Header + "steps:\n  - dirs: [{ path: /a }]\nchecks:\n  - »{ path: /a, config: { user: root } }\n", "LB1047", "not both");
        yield return Row("check with a sha256 that is not one", Header + "steps:\n  - dirs: [{ path: /a }]\nchecks:\n  - { path: /a, sha256: »abc }\n", "LB1047", "64 lowercase hex digits");
        yield return Row("whiteout of a path the step writes", Header + "steps:\n  - files: [{ path: /a, content: a }]\n    whiteouts: [»/a]\n", "LB2026", "whiteout /a", "cannot both delete and write");
        yield return Row("whiteout given twice", Header + "steps:\n  - whiteouts: [/gone, »/gone]\n", "LB2026", "given twice");
        yield return Row("opaque path written as a file", Header + "steps:\n  - files: [{ path: /a, content: a }]\n    opaque: [»/a]\n", "LB2026", "opaque /a", "file");

        // Checks the recipe makes on its image: exit 1, at the check, no archive.
        yield return Row("check of a path the image lacks", Header + "steps:\n  - dirs: [{ path: /a }]\nchecks:\n  - »{ path: /missing }\n", "LB6001", "check of /missing", "no such path");
        yield return Row("check that a removed path is gone", Header + "steps:\n  - files: [{ path: /a, content: a }]\n  - whiteouts: [/b]\nchecks:\n  - »{ path: /a, exists: false }\n", "LB6002", "it exists (a file)");
        yield return Row("check of a type, mode and owner", Header + "steps:\n  - dirs: [{ path: /a, mode: \"0700\", owner: \"1:2\" }]\nchecks:\n  - »»»{ path: /a, type: fifo, mode: \"0755\", owner: \"0:0\" }\n",
            ["LB6003", "LB6004", "LB6005"], ["it is a folder, not a FIFO", "mode is 0700, not 0755", "owner is 1:2, not 0:0"]);
        yield return Row("check of a file's content", Header + "steps:\n  - files: [{ path: /a, content: hello }]\nchecks:\n  - »»»{ path: /a, size: 4, sha256: \"0000000000000000000000000000000000000000000000000000000000000000\", contains: bye }\n",
            ["LB6006", "LB6007", "LB6008"], ["5 bytes, not 4", "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "does not contain 'bye'"]);
        yield return Row("check of a symlink's target", Header + "steps:\n  - symlinks: [{ path: /a, target: b }]\nchecks:\n  - »{ path: /a, target: c }\n", "LB6009", "points at 'b', not 'c'");
        yield return Row("check of the config", Header + "config: { user: \"1000\", env: { A: \"1\" } }\nsteps:\n  - dirs: [{ path: /a }]\nchecks:\n  - »config: { user: root }\n  - »»config: { env: { A: \"2\", B: \"3\" } }\n",
            ["LB6010", "LB6010", "LB6010"], ["User is '1000', not 'root'", "Env has A=1, not A=2", "Env has no B"]);
        yield return Row("built image with another id than expected", Header + "steps:\n  - dirs: [{ path: /a }]\n", [], ["LB6011", "not the expected sha256:0000000000000000000000000000000000000000000000000000000000000000"]) with
        {
            Arguments = ["--expect-image-id", "sha256:0000000000000000000000000000000000000000000000000000000000000000"],
            Where = _ => "expected-image-id:1:1",
        };
        yield return Row("expected image id that is no id", Header, [], ["LB1048", "--expect-image-id 'abc'"]) with
        {
            Arguments = ["--expect-image-id", "abc"],
            Where = _ => "--expect-image-id:1:1",
        };

        // The command line.
        yield return Row("created on the command line that is no time", Header, [], ["LB1013", "--created 'soon'"]) with
        {
            Arguments = ["--created", "soon"],
            Where = _ => "--created:1:1",
        };
        yield return Row("tag on the command line that is no tag", Header, [], ["LB1011", "'.hidden'"]) with
        {
            Arguments = ["--tag", ".hidden"],
            Where = _ => "--tag:1:1",
        };
        yield return Row("arg on the command line without a value", Header, [], ["--arg 'VERSION'", "NAME=VALUE"]) with
        {
            Arguments = ["--arg", "VERSION"],
            ExitCode = 2,
        };
        yield return Row("unknown archive format", Header, [], ["zip"]) with { Arguments = ["--format", "zip"], ExitCode = 2 };
        yield return Row("unknown option", Header, [], ["--frobnicate"]) with { Arguments = ["--frobnicate"], ExitCode = 2 };
    }

    /// <summary>
    /// "args:" with anchors a0..aN, each a list of nine aliases of the one before: 9^N values from a few hundred
    /// bytes. With <paramref name="markFirstAliasOf"/>, the first alias on that level's line carries the marker.
    /// </summary>
    private static string NineFoldAliases(int levels, int markFirstAliasOf = -1)
    {
        var text = new System.Text.StringBuilder("args:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= levels; level++)
        {
            var alias = $"*a{level - 1}";
            text.Append($"  a{level}: &a{level} [").Append(level == markFirstAliasOf ? BadInput.Marker.ToString() : "")
                .AppendJoin(", ", Enumerable.Repeat(alias, 9)).Append("]\n");
        }

        return text.ToString();
    }

    private static BadInput Row(string name, string recipe, string code, params string[] words) => new(name, recipe, [code], words);

    private static BadInput Row(string name, string recipe, string[] codes, string[] words) => new(name, recipe, codes, words);
}
