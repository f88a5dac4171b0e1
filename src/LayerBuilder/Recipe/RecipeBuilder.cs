using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>
/// Builds a <see cref="BuildRecipe"/> in code: the same model <see cref="RecipeParser"/> makes from
/// <c>layerbuild.yml</c>, key for key (docs/recipe.md, docs/library.md), and the same bytes for the same
/// recipe. Start from <see cref="FromScratch"/> or a base, add steps and config, then <see cref="Build"/>:
/// <code>
/// var recipe = RecipeBuilder.FromScratch("fixtures/hello")
///     .Tags("1.0")
///     .Step("app", s => s.File("/app/run.sh", "#!/bin/sh\necho hi\n", mode: (UnixFileMode)0b111_101_101))
///     .Config(c => c.Entrypoint("/app/run.sh"))
///     .Build();
/// </code>
/// A missing argument (null, or an empty string where a value is needed) throws
/// <see cref="ArgumentException"/> at the call. Wrong values (an image name with capitals, a relative
/// path, a mode past 07777) are all reported together by <see cref="Build"/> in one
/// <see cref="LayerBuildException"/>, with the LB codes the YAML form gets; the diagnostics name the
/// place in words ("recipe built in code (step 'app', file /x)"), since there is no line to point at.
/// Unlike YAML, strings are taken as they are: there are no <c>${NAME}</c> args (C# has interpolation).
/// </summary>
public sealed class RecipeBuilder
{
    private readonly string image;
    private readonly Func<string, BaseSpec> from;
    private readonly List<(string? Name, StepBuilder Step)> steps = [];
    private readonly ConfigBuilder config = new();
    private List<string> tags = [BuildRecipe.DefaultTag];
    private string? platform;
    private DateTimeOffset created = DateTimeOffset.UnixEpoch;
    private EntryOwner? defaultOwner;
    private UnixFileMode? defaultDirMode;
    private UnixFileMode? defaultFileMode;
    private string? baseDirectory;
    private readonly List<ImageFault> faults = [];
    private readonly List<Func<RecipeChecks, ImageCheck?>> imageChecks = [];

    private RecipeBuilder(string image, Func<string, BaseSpec> from)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        this.image = image;
        this.from = from;
    }

    /// <summary>An image with no base (<c>base: scratch</c>); <paramref name="image"/> is the repository
    /// name without a tag, such as <c>fixtures/hello</c>.</summary>
    public static RecipeBuilder FromScratch(string image) => new(image, _ => new ScratchBase(SourcePosition.InCode("base")));

    /// <summary>A root filesystem base (<c>base: { rootfs: PATH }</c>): a tar (plain, gzip, bzip2, zstd)
    /// or a host folder; it becomes the first layer.</summary>
    public static RecipeBuilder FromRootfs(string image, string rootfs)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootfs);
        RefuseNul(rootfs, nameof(rootfs));
        return new(image, folder => new RootfsBase(HostPaths.Resolve(folder, rootfs), SourcePosition.InCode($"base rootfs {rootfs}")));
    }

    /// <summary>A base image from a save-format archive (<c>base: { image: PATH, ref: NAME:TAG }</c>);
    /// <paramref name="reference"/> may be left out when the archive holds one image.</summary>
    public static RecipeBuilder FromImageArchive(string image, string archive, string? reference = null) =>
        FromImage(image, archive, reference, isLayout: false);

    /// <summary>A base image from an OCI layout, a folder or a tar (<c>base: { layout: PATH, ref: NAME:TAG }</c>).</summary>
    public static RecipeBuilder FromOciLayout(string image, string layout, string? reference = null) =>
        FromImage(image, layout, reference, isLayout: true);

    /// <summary>A base image in a registry (<c>base: debian:12</c>): <paramref name="reference"/> as Dockerfile
    /// <c>FROM</c> reads one (<c>debian:12</c>, <c>127.0.0.1:5000/team/base:1</c>, <c>host/base@sha256:…</c>).</summary>
    public static RecipeBuilder FromRegistry(string image, string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return new(image, _ => new RegistryBase(reference, SourcePosition.InCode($"base {reference}")));
    }

    /// <summary>The tags (default <c>latest</c>); replaces earlier ones, duplicates are dropped.</summary>
    public RecipeBuilder Tags(params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            ArgumentException.ThrowIfNullOrEmpty(tag, nameof(tags));
        }

        this.tags = [.. tags];
        return this;
    }

    /// <summary><c>os/architecture[/variant]</c>, such as <c>linux/arm64/v8</c> (default <c>linux/amd64</c>, or the base image's).</summary>
    public RecipeBuilder Platform(string platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        this.platform = platform;
        return this;
    }

    /// <summary>The image's creation time and the mtime of every entry a step writes (default 1970-01-01T00:00:00Z;
    /// unlike the command line, the environment's SOURCE_DATE_EPOCH is not read).</summary>
    public RecipeBuilder Created(DateTimeOffset created)
    {
        this.created = created.ToUniversalTime();
        return this;
    }

    /// <summary>Metadata for entries that set none (default owner 0:0, folders 0755, files 0644); arguments left out keep theirs.</summary>
    public RecipeBuilder Defaults(EntryOwner? owner = null, UnixFileMode? dirMode = null, UnixFileMode? fileMode = null)
    {
        defaultOwner = StepBuilder.Checked(owner) ?? defaultOwner;
        defaultDirMode = dirMode ?? defaultDirMode;
        defaultFileMode = fileMode ?? defaultFileMode;
        return this;
    }

    /// <summary>The folder relative host paths (base, copy and extract sources) resolve against; default:
    /// the current folder when <see cref="Build"/> runs.</summary>
    public RecipeBuilder BaseDirectory(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        baseDirectory = Path.GetFullPath(folder);
        return this;
    }

    /// <summary>A step (one layer), shown in the image history as <c>layerbuild step: NAME</c>.</summary>
    public RecipeBuilder Step(string name, Action<StepBuilder> step)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return AddStep(name, step);
    }

    /// <summary>A step (one layer) without a name: the history shows <c>step N</c>.</summary>
    public RecipeBuilder Step(Action<StepBuilder> step) => AddStep(null, step);

    /// <summary>The runtime config; called again, it adds to what is set.</summary>
    public RecipeBuilder Config(Action<ConfigBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(config);
        return this;
    }

    /// <summary>Defects to write into the image on purpose (YAML <c>faults</c>; docs/fixtures.md, "Fixtures
    /// that break on purpose"); adds to those given before, each once.</summary>
    public RecipeBuilder Faults(params ImageFault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (var fault in faults)
        {
            if (!Enum.IsDefined(fault))
            {
                throw new ArgumentOutOfRangeException(nameof(faults), fault, "not an ImageFault");
            }

            if (!this.faults.Contains(fault))
            {
                this.faults.Add(fault);
            }
        }

        return this;
    }

    /// <summary>
    /// A check of the finished image (YAML <c>checks</c> with <c>path</c>): what <paramref name="path"/> must
    /// be in the merged filesystem. Arguments left out are not checked; with none, the path must exist;
    /// <c>exists: false</c> says it must not. <paramref name="sha256"/> is 64 hex digits (optionally after
    /// <c>sha256:</c>), <paramref name="contains"/> text the file holds. A failed check fails the build
    /// with an LB6xxx diagnostic, and no archive is written.
    /// </summary>
    public RecipeBuilder Check(
        string path,
        bool? exists = null,
        ImageEntryType? type = null,
        UnixFileMode? mode = null,
        EntryOwner? owner = null,
        long? size = null,
        string? sha256 = null,
        string? contains = null,
        string? target = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        StepBuilder.Checked(owner);
        var number = imageChecks.Count + 1;
        imageChecks.Add(checks =>
        {
            var at = SourcePosition.InCode($"check {number}, {path}");
            if (checks.ImagePath(new Positioned<string>(path, at), $"'path' of check {number}") is not { } checkedPath)
            {
                return null;
            }

            return checks.PathCheck(
                new PathCheck(checkedPath, at)
                {
                    Exists = exists,
                    Type = type,
                    Mode = mode is { } m ? (int)m : null,
                    Owner = owner is { } o ? checks.Owner(new Positioned<string>(o.Text, at), "owner") : null,
                    Size = size,
                    Contains = contains,
                    Target = target,
                },
                sha256: sha256 is null ? null : new Positioned<string>(sha256, at));
        });
        return this;
    }

    /// <summary>A check of the finished image's config (YAML <c>checks</c> with <c>config</c>): the values it
    /// must hold; <paramref name="env"/> and <paramref name="labels"/> name some of them, others may be there.</summary>
    public RecipeBuilder CheckConfig(
        string? user = null,
        IEnumerable<string>? entrypoint = null,
        IEnumerable<string>? cmd = null,
        string? workdir = null,
        IReadOnlyDictionary<string, string>? env = null,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        var check = new ConfigCheck(SourcePosition.InCode($"check {imageChecks.Count + 1}, config"))
        {
            User = user,
            Entrypoint = entrypoint?.ToList(),
            Cmd = cmd?.ToList(),
            WorkingDir = workdir,
            Env = env?.ToList() ?? [],
            Labels = labels?.ToList() ?? [],
        };
        imageChecks.Add(checks => checks.ConfigCheck(check));
        return this;
    }

    /// <summary>Checks every value as <see cref="RecipeParser"/> checks YAML and returns the recipe;
    /// every wrong value is in the one <see cref="LayerBuildException"/> it throws.</summary>
    public BuildRecipe Build()
    {
        var checks = new RecipeChecks(new DiagnosticBag());
        var folder = baseDirectory ?? Environment.CurrentDirectory;
        var at = SourcePosition.InCode("image");
        var reference = checks.ImageName(new Positioned<string>(image, at));
        var recipe = new BuildRecipe
        {
            Image = new Positioned<Image.ImageReference>(reference!, at),
            BaseDirectory = folder,
            Tags = checks.Tags(tags.Select(t => new Positioned<string>(t, SourcePosition.InCode($"tag {t}"))).ToList(), SourcePosition.InCode("tags")),
            Platform = platform is null ? Image.Platform.LinuxAmd64 : checks.Platform(new Positioned<string>(platform, SourcePosition.InCode("platform"))),
            PlatformSet = platform is not null,
            Created = created,
            Base = from(folder),
            Defaults = BuildDefaults(checks),
            Config = config.Build(checks),
            Steps = steps.Select((s, index) => s.Step.Build(index, s.Name, folder, checks)).ToList(),
            Faults = faults.Select(f => new Positioned<ImageFault>(f, SourcePosition.InCode($"fault {LayerBuilder.Faults.FaultNames.NameOf(f)}"))).ToList(),
            Checks = imageChecks.Select(c => c(checks)).OfType<ImageCheck>().ToList(),
        };

        if (recipe.Base is RegistryBase registry)
        {
            checks.RegistryBase(new Positioned<string>(registry.Reference, registry.Position), folder);
        }

        checks.Diagnostics.ThrowIfErrors();
        return recipe;
    }

    private static RecipeBuilder FromImage(string image, string path, string? reference, bool isLayout)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RefuseNul(path, nameof(path));
        if (reference is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(reference);
        }

        var at = SourcePosition.InCode($"base {(isLayout ? "layout" : "image")} {path}");
        return new(image, folder => new ImageBase(
            HostPaths.Resolve(folder, path),
            isLayout,
            reference is null ? null : new Positioned<string>(reference, at),
            at));
    }

    /// <summary>No file name holds a NUL: a base path with one is the caller's mistake, told at once
    /// rather than when the recipe is built.</summary>
    private static void RefuseNul(string path, string parameter)
    {
        if (path.Contains('\0'))
        {
            throw new ArgumentException("a host path cannot contain NUL characters", parameter);
        }
    }

        private RecipeBuilder AddStep(string? name, Action<StepBuilder> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var builder = new StepBuilder();
        step(builder);
        steps.Add((name, builder));
        return this;
    }

    private EntryDefaults BuildDefaults(RecipeChecks checks)
    {
        var standard = EntryDefaults.Standard;
        var at = SourcePosition.InCode("defaults");
        return new EntryDefaults(
            defaultOwner is { } owner ? checks.Owner(new Positioned<string>(owner.Text, at), "owner") ?? standard.Owner : standard.Owner,
            defaultDirMode is { } dirMode ? checks.Mode(new Positioned<int>((int)dirMode, at), "dirMode") ?? standard.DirMode : standard.DirMode,
            defaultFileMode is { } fileMode ? checks.Mode(new Positioned<int>((int)fileMode, at), "fileMode") ?? standard.FileMode : standard.FileMode);
    }
}
