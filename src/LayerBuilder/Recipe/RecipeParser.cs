using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>
/// Turns recipe YAML into a validated <see cref="BuildRecipe"/>. Reports every problem it finds, each
/// with file, line and column, in one <see cref="LayerBuildException"/>.
/// </summary>
public static class RecipeParser
{
    /// <summary>Parses a recipe file; relative host paths resolve against the file's folder.</summary>
    public static BuildRecipe ParseFile(string path, RecipeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = RecipeText.Decode(SmallInputFile.Read(path, RecipeLimits.File), path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Parse(text, path, folder, options);
    }

    /// <summary>
    /// Parses recipe text; <paramref name="file"/> names it in diagnostics. Characters YAML forbids, and a
    /// shape past <see cref="RecipeLimits"/>, are refused before the YAML is loaded.
    /// </summary>
    public static BuildRecipe Parse(string yaml, string file, string baseDirectory, RecipeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        options ??= new RecipeOptions();
        RecipeText.CheckCharacters(yaml, file);
        var diagnostics = new DiagnosticBag();
        var root = Load(yaml, file, diagnostics);
        if (root is null)
        {
            diagnostics.ThrowIfErrors();
            throw new LayerBuildException(DiagnosticCodes.EmptyRecipe, SourcePosition.StartOf(file),
                "the recipe is empty; it needs at least 'image:'");
        }

        var reader = new YamlNodeReader(file, diagnostics, new ArgExpander(new Dictionary<string, string>()));
        var keys = reader.Mapping(root, "the recipe", RecipeKeys.Root);
        if (keys is null)
        {
            diagnostics.ThrowIfErrors();
        }

        if (keys!.TryGetValue("platforms", out var platformsNode))
        {
            return ParsePlatforms(root, keys, platformsNode, reader, file, baseDirectory, options);
        }

        var parser = new Parser(reader, keys, file, baseDirectory, options, null);
        var recipe = parser.Build(root);
        diagnostics.ThrowIfErrors();
        return recipe!;
    }

    /// <summary>
    /// A recipe with <c>platforms:</c> (docs/recipe.md, "Several platforms"): read once per platform, each
    /// time with that platform's <c>TARGET*</c> args, so sources can differ. The result is the first
    /// platform's recipe, holding all of them in <see cref="BuildRecipe.PlatformRecipes"/>. The first
    /// reading reports every problem of the text; a later one only what its own args make wrong.
    /// </summary>
    private static BuildRecipe ParsePlatforms(YamlNode root, IReadOnlyDictionary<string, YamlNode> keys, YamlNode platformsNode, YamlNodeReader reader,
        string file, string baseDirectory, RecipeOptions options)
    {
        var diagnostics = reader.Diagnostics;
        var checks = new RecipeChecks(diagnostics);
        var platforms = checks.Platforms(reader.StringList(platformsNode, "'platforms'") ?? [], reader.Position(platformsNode));
        if (keys.TryGetValue("platform", out var single))
        {
            diagnostics.Error(DiagnosticCodes.PlatformAndPlatforms, reader.Position(single),
                "'platform' and 'platforms' are both given; keep 'platforms' for several images in one index, or 'platform' for one image");
        }

        foreach (var name in TargetPlatform.ArgNames.Where(options.Args.ContainsKey))
        {
            diagnostics.Error(DiagnosticCodes.TargetArgSet, SourcePosition.StartOf("--arg"),
                $"--arg sets '{name}', which a recipe with 'platforms' gets from each platform; remove it");
        }

        diagnostics.ThrowIfErrors();
        var recipes = new List<BuildRecipe>(platforms.Count);
        foreach (var platform in platforms)
        {
            var bag = recipes.Count == 0 ? diagnostics : new DiagnosticBag();
            var platformReader = new YamlNodeReader(file, bag, new ArgExpander(new Dictionary<string, string>()));
            var recipe = new Parser(platformReader, platformReader.Mapping(root, "the recipe", RecipeKeys.Root)!, file, baseDirectory, options, platform).Build(root);
            bag.ThrowIfErrors();
            recipes.Add(recipe! with { OfPlatforms = true });
        }

        return recipes[0] with { PlatformRecipes = recipes };
    }

    private static YamlNode? Load(string yaml, string file, DiagnosticBag diagnostics)
    {
        var stream = new YamlStream();
        var parser = new YamlDotNet.Core.Parser(new StringReader(yaml));
        try
        {
            stream.Load(new BoundedYamlParser(parser, file));
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            var text = cut >= 0 ? message[(cut + 3)..] : message;
            var at = At(file, e.Start);
            if (text.StartsWith(DuplicateKeyMessage, StringComparison.Ordinal))
            {
                diagnostics.Error(DiagnosticCodes.DuplicateKey, at,
                    $"key '{text[DuplicateKeyMessage.Length..]}' is given twice in the same mapping; keep one");
                return null;
            }

            if (text.Contains("invalid tab", StringComparison.Ordinal) && FirstIndentingTab(yaml) is { } tab)
            {
                // YamlDotNet reports this one without a position; the first tab in an indentation is the culprit.
                at = new SourcePosition(file, tab.Line, tab.Column);
                text = "a tab is used for indentation; YAML indents with spaces only";
            }

            // YamlDotNet's words for a bad indentation name its parser's states; say which line is off and by how much.
            if (YamlIndentation.Explain(yaml, text, at.Line, at.Column) is { } plain)
            {
                (text, at) = (plain.Message, new SourcePosition(file, at.Line, plain.Column));
            }

            diagnostics.Error(DiagnosticCodes.YamlSyntax, at, "YAML syntax error: " + text);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this instead of a YamlException for some unclosed flow collections
            // ("tags: [a, b" followed by "key: value"); the last event it read is next to the problem.
            diagnostics.Error(DiagnosticCodes.YamlSyntax, At(file, parser.Current?.Start ?? Mark.Empty),
                "YAML syntax error: the YAML cannot be read from here on; check that every '[' and '{' is closed");
            return null;
        }
        catch (Exception e) when (e is not (LayerBuildException or OutOfMemoryException))
        {
            // YamlDotNet reads a string in memory, so whatever else it throws is about the text too.
            diagnostics.Error(DiagnosticCodes.YamlSyntax, At(file, parser.Current?.Start ?? Mark.Empty),
                $"YAML syntax error: the YAML cannot be read from here on: {e.Message}");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, new SourcePosition(file, (int)stream.Documents[1].RootNode.Start.Line, 1),
                "the recipe holds more than one YAML document; keep one");
        }

        var node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        return node is YamlScalarNode { Value: null or "" } ? null : node;
    }

    private const string DuplicateKeyMessage = "Duplicate key ";

    /// <summary>A YamlDotNet mark as a position; a mark it leaves empty (line 0) becomes the file's start.</summary>
    internal static SourcePosition At(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static (int Line, int Column)? FirstIndentingTab(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    /// <summary>Reads one recipe; <paramref name="target"/> is the platform of a <c>platforms</c> recipe being read, null otherwise.</summary>
    private sealed class Parser(YamlNodeReader reader, IReadOnlyDictionary<string, YamlNode> keys, string file, string baseDirectory, RecipeOptions options, Platform? target)
    {
        private readonly RecipeChecks checks = new(reader.Diagnostics);

        private DiagnosticBag Diagnostics => reader.Diagnostics;

        public BuildRecipe? Build(YamlNode root)
        {
            reader.Expander = new ArgExpander(ReadArgs());
            var under = !keys.ContainsKey("image") && options.Underlay is { } underlay ? underlay() : null;
            var image = under is null ? ReadImage(root) : under.Image;
            var tags = under is null || options.Tags.Count > 0 || keys.ContainsKey("tags") ? ReadTags() : under.Tags;
            var platform = target ?? ReadPlatform();
            var created = under is null || options.Created is not null || keys.ContainsKey("created") ? ReadCreated() : under.Created;
            var defaults = under is null || keys.ContainsKey("defaults") ? ReadDefaults() : under.Defaults;
            var baseSpec = under is null || keys.ContainsKey("base") ? ReadBase() : under.Base;
            var config = keys.TryGetValue("config", out var configNode) ? new ConfigReader(reader).Read(configNode) : new ConfigSpec();
            var steps = ReadSteps(under?.Steps ?? []);
            var faults = ReadFaults();
            var imageChecks = keys.TryGetValue("checks", out var checksNode) ? new CheckReader(reader).Read(checksNode) : [];
            if (image is null || Diagnostics.HasErrors)
            {
                return null;
            }

            var platformSet = target is not null || keys.ContainsKey("platform");
            var unused = options.QuietArgs is not { } quiet ? [] : options.Args.Keys
                .Where(name => !quiet.Contains(name) && !reader.Expander.Used.Contains(name))
                .Order(StringComparer.Ordinal)
                .Select(name => new Diagnostic(DiagnosticCodes.UnusedArg, Severity.Warning, SourcePosition.StartOf("--arg"),
                    $"arg '{name}' is given but the recipe never uses ${{{name}}}; remove it, or check its spelling against the recipe's references"))
                .ToList();
            return new BuildRecipe
            {
                File = file,
                BaseDirectory = baseDirectory,
                Image = image.Value,
                Tags = tags,
                Platform = platformSet || under is null ? platform : under.Platform,
                PlatformSet = platformSet || under is { PlatformSet: true },
                Created = created,
                Base = baseSpec,
                Defaults = defaults,
                Config = under is null ? config : ConfigLayering.Over(config, under.Config),
                Steps = steps,
                Faults = faults,
                Checks = imageChecks,
                Warnings = [.. under?.Warnings ?? [], .. unused],
            };
        }

        private List<Positioned<ImageFault>> ReadFaults()
        {
            var faults = new List<Positioned<ImageFault>>();
            if (!keys.TryGetValue("faults", out var node))
            {
                return faults;
            }

            foreach (var name in reader.StringList(node, "'faults'", allowSingle: true) ?? [])
            {
                if (Faults.FaultNames.TryParse(name.Value, out var fault))
                {
                    faults.Add(new Positioned<ImageFault>(fault, name.Position));
                }
                else
                {
                    var near = Text.Levenshtein.Nearest(name.Value, Faults.FaultNames.All) is { } closest ? $" Did you mean '{closest}'?" : "";
                    Diagnostics.Error(DiagnosticCodes.UnknownFault, name.Position,
                        $"'faults' has '{name.Value}', which is no fault; the faults are {string.Join(", ", Faults.FaultNames.All)}.{near}");
                }
            }

            return faults;
        }

        /// <summary>The args: the platform's <c>TARGET*</c> (docs/recipe.md, "Several platforms"), then the
        /// recipe's <c>args</c>, then <c>--arg</c>; in a <c>platforms</c> recipe the platform's cannot be set.</summary>
        private Dictionary<string, string> ReadArgs()
        {
            var args = new Dictionary<string, string>(TargetPlatform.Args(target ?? PlatformForArgs()), StringComparer.Ordinal);
            if (keys.TryGetValue("args", out var node))
            {
                foreach (var (key, value) in reader.StringMap(node, "args", expand: false) ?? [])
                {
                    if (!ArgExpander.IsName(key.Value))
                    {
                        Diagnostics.Error(DiagnosticCodes.InvalidArgSyntax, key.Position,
                            $"arg name '{key.Value}' must start with a letter or '_' and hold only letters, digits and '_'");
                    }
                    else if (target is not null && TargetPlatform.ArgNames.Contains(key.Value))
                    {
                        Diagnostics.Error(DiagnosticCodes.TargetArgSet, key.Position,
                            $"'args' sets '{key.Value}', which a recipe with 'platforms' gets from each platform; remove it");
                    }

                    args[key.Value] = value.Value;
                }
            }

            foreach (var (name, value) in options.Args)
            {
                args[name] = value;
            }

            return args;
        }

        private Positioned<ImageReference>? ReadImage(YamlNode root)
        {
            if (!keys.TryGetValue("image", out var node))
            {
                Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(root),
                    "the recipe needs 'image:', the repository name of the image (for example 'image: example/hello')");
                return null;
            }

            return reader.PositionedScalar(node, "'image'") is { } name && checks.ImageName(name) is { } reference
                ? new Positioned<ImageReference>(reference, name.Position)
                : null;
        }

        private List<string> ReadTags()
        {
            var tags = new List<Positioned<string>>();
            if (options.Tags.Count > 0)
            {
                tags.AddRange(options.Tags.Select(t => new Positioned<string>(t, SourcePosition.StartOf("--tag"))));
            }
            else if (keys.TryGetValue("tags", out var node))
            {
                tags.AddRange(reader.StringList(node, "'tags'", allowSingle: true) ?? []);
            }
            else
            {
                tags.Add(new Positioned<string>(BuildRecipe.DefaultTag, SourcePosition.StartOf(file)));
            }

            return checks.Tags(tags, keys.TryGetValue("tags", out var list) ? reader.Position(list) : SourcePosition.StartOf(file));
        }

        /// <summary>The platform a single-platform recipe's <c>TARGET*</c> args default to: its literal
        /// <c>platform</c> when that is one (args cannot shape it), else linux/amd64.</summary>
        private Platform PlatformForArgs() =>
            keys.TryGetValue("platform", out var node) && node is YamlScalarNode { Value: { } text } && Platform.TryParse(text, out var platform)
                ? platform
                : Platform.LinuxAmd64;

        private Platform ReadPlatform()
        {
            return keys.TryGetValue("platform", out var node) && reader.PositionedScalar(node, "'platform'") is { } text
                ? checks.Platform(text)
                : Platform.LinuxAmd64;
        }

        private DateTimeOffset ReadCreated()
        {
            if (options.Created is { } cli)
            {
                if (ValueParsers.TryParseTimestamp(cli, out var fromCli))
                {
                    return fromCli;
                }

                Diagnostics.Error(DiagnosticCodes.InvalidTimestamp, SourcePosition.StartOf("--created"),
                    $"--created '{cli}' is not an RFC 3339 time such as 2024-01-01T00:00:00Z");
                return DateTimeOffset.UnixEpoch;
            }

            if (keys.TryGetValue("created", out var node))
            {
                var text = reader.PositionedScalar(node, "'created'");
                if (text is null)
                {
                    return DateTimeOffset.UnixEpoch;
                }

                if (ValueParsers.TryParseTimestamp(text.Value.Value, out var value))
                {
                    return value;
                }

                Diagnostics.Error(DiagnosticCodes.InvalidTimestamp, text.Value.Position,
                    $"created '{text.Value.Value}' is not an RFC 3339 time such as \"2024-01-01T00:00:00Z\" (quote it)");
                return DateTimeOffset.UnixEpoch;
            }

            if (!string.IsNullOrEmpty(options.SourceDateEpoch))
            {
                if (ValueParsers.TryParseEpoch(options.SourceDateEpoch, out var epoch))
                {
                    return epoch;
                }

                Diagnostics.Error(DiagnosticCodes.InvalidTimestamp, SourcePosition.StartOf("SOURCE_DATE_EPOCH"),
                    $"SOURCE_DATE_EPOCH '{options.SourceDateEpoch}' is not a whole number of seconds since 1970");
            }

            return DateTimeOffset.UnixEpoch;
        }

        private EntryDefaults ReadDefaults()
        {
            var defaults = EntryDefaults.Standard;
            if (!keys.TryGetValue("defaults", out var node) || reader.Mapping(node, "'defaults'", RecipeKeys.Defaults) is not { } map)
            {
                return defaults;
            }

            var values = new ValueReader(reader);
            return new EntryDefaults(
                values.Owner(map, "owner") ?? defaults.Owner,
                values.Mode(map, "dirMode") ?? defaults.DirMode,
                values.Mode(map, "fileMode") ?? defaults.FileMode);
        }

        private BaseSpec ReadBase()
        {
            if (!keys.TryGetValue("base", out var node))
            {
                return new ScratchBase(SourcePosition.StartOf(file));
            }

            if (node is YamlScalarNode)
            {
                var text = reader.PositionedScalar(node, "'base'");
                if (text is { Value: "scratch" })
                {
                    return new ScratchBase(text.Value.Position);
                }

                if (text is not { } named)
                {
                    return new ScratchBase(reader.Position(node));
                }

                return checks.RegistryBase(named, baseDirectory) ?? (BaseSpec)new ScratchBase(named.Position);
            }

            var map = reader.Mapping(node, "'base'", RecipeKeys.Base);
            if (map is null)
            {
                return new ScratchBase(reader.Position(node));
            }

            var kinds = new[] { "rootfs", "image", "layout" }.Where(map.ContainsKey).ToList();
            if (kinds.Count != 1)
            {
                Diagnostics.Error(kinds.Count == 0 ? DiagnosticCodes.MissingKey : DiagnosticCodes.ConflictingKeys, reader.Position(node),
                    "'base' needs exactly one of 'rootfs: PATH' (a tar or folder), 'image: PATH' (a docker save archive) or 'layout: PATH' (an OCI layout)");
                return new ScratchBase(reader.Position(node));
            }

            var kind = kinds[0];
            if (reader.PositionedScalar(map[kind], $"'base.{kind}'") is not { } pathText
                || checks.HostPath(pathText, $"'base.{kind}'", baseDirectory) is not { } path)
            {
                return new ScratchBase(reader.Position(node));
            }

            Positioned<string>? reference = map.TryGetValue("ref", out var refNode) ? reader.PositionedScalar(refNode, "'base.ref'") : null;
            if (kind == "rootfs")
            {
                if (refNode is not null)
                {
                    Diagnostics.Error(DiagnosticCodes.ConflictingKeys, reader.Position(refNode), "'ref' picks an image in 'image' or 'layout'; a rootfs has none");
                }

                return new RootfsBase(path.Value, path.Position);
            }

            return new ImageBase(path.Value, kind == "layout", reference, path.Position);
        }

        /// <summary>The file's steps after <paramref name="lower"/> (an underlay's), numbered on from them.</summary>
        private List<StepSpec> ReadSteps(IReadOnlyList<StepSpec> lower)
        {
            var steps = new List<StepSpec>(lower);
            if (!keys.TryGetValue("steps", out var node))
            {
                return steps;
            }

            var stepReader = new StepReader(reader, baseDirectory);
            foreach (var item in reader.Sequence(node, "'steps'"))
            {
                var step = stepReader.Read(item, steps.Count);
                if (step is not null)
                {
                    steps.Add(step);
                }
            }

            return steps;
        }
    }
}
