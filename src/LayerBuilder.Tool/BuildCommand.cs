using System.CommandLine;
using LayerBuilder.Archive;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild [RECIPE] [options]</c>: maps the command line to one <see cref="Build.ImageBuilder"/>
/// call and its outcome to text and an exit code. No build logic lives here; other commands (such as
/// <see cref="SchemaCommand"/>) are subcommands in their own classes.
/// </summary>
public sealed class BuildCommand
{
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;
    private readonly Argument<string> recipe = new("recipe")
    {
        HelpName = "RECIPE",
        Description = "The recipe file.",
        DefaultValueFactory = _ => "layerbuild.yml",
    };

    private readonly Option<string?> output = new("--output", "-o")
    {
        HelpName = "FILE",
        Description = "The archive to write (default: <image name>.tar in the current folder, or none with --push or --load; a name ending in .gz is gzipped; - writes it to standard output).",
    };

    private readonly Option<string> format = new("--format")
    {
        Description = "Archive layout: docker (classic docker save) or oci (OCI layout + manifest.json, as Docker 25+).",
        DefaultValueFactory = _ => "docker",
    };

    private readonly Option<string[]> args = new("--arg")
    {
        HelpName = "NAME=VALUE",
        Description = "Sets a recipe arg (repeatable; wins over the recipe's args).",
    };

    private readonly Option<string[]> tags = new("--tag")
    {
        HelpName = "TAG",
        Description = "A tag for the image (repeatable; replaces the recipe's tags).",
    };

    private readonly Option<string?> created = new("--created")
    {
        HelpName = "TIME",
        Description = "RFC 3339 creation time (wins over the recipe's created and SOURCE_DATE_EPOCH).",
    };

    private readonly Option<string?> compression = new("--compression")
    {
        Description = "Layer blobs of the oci format (none by default) and of --push (gzip by default): none, gzip or zstd. The docker format always stores plain tars.",
    };

    private readonly Option<bool> push = new("--push")
    {
        Description = "Push every tag of the image to the registry its name says (Docker Hub when it names none).",
    };

    private readonly Option<bool> load = new("--load")
    {
        Description = "Load the image into the docker engine of DOCKER_HOST (default unix:///var/run/docker.sock) through its API.",
    };

    private readonly Option<string?> expectImageId = new("--expect-image-id")
    {
        HelpName = "sha256:HEX",
        Description = "Fail (exit 1, no archive) when the built image's id differs (a fixture's pinned digest).",
    };

    private readonly Option<string?> platform = new("--platform")
    {
        Description = "Build only this one of the recipe's platforms, such as linux/arm64 (required for --format docker with several).",
        HelpName = "OS/ARCH[/VARIANT]",
    };

    private readonly Option<bool> noCache = new("--no-cache")
    {
        Description = "Neither read nor fill the layer cache ($XDG_CACHE_HOME/layerbuilder); always rewrite the archive.",
    };

    private readonly Option<bool> offline = new("--offline")
    {
        Description = "Send no request to any registry: a registry base must already be in the layer cache.",
    };

    private readonly Option<string[]> insecureRegistries = new("--insecure-registry")
    {
        HelpName = "HOST[:PORT]",
        Description = "A registry (HOST or HOST:PORT) that may use plain HTTP or an unverified certificate (repeatable).",
    };

    private readonly Option<bool> quiet = new("--quiet", "-q") { Description = "Print nothing but errors." };

    private readonly Option<bool> verbose = new("--verbose") { Description = "Show stack traces of internal errors." };

    public BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        this.stdout = stdout;
        this.stderr = stderr;
        format.AcceptOnlyFromAmong([.. OutputNames.FormatNames]);
        compression.AcceptOnlyFromAmong([.. OutputNames.CompressionNames]);
    }

    /// <param name="commandLine">The arguments after the tool's name.</param>
    /// <param name="cancellationToken">Cancels the build; Program.cs cancels it on SIGINT, SIGTERM and SIGHUP
    /// (<see cref="TerminationSignals"/>).</param>
    public async Task<int> InvokeAsync(string[] commandLine, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Builds a container image archive from a layerbuild.yml recipe, without a container engine.")
        {
            recipe, output, format, compression, platform, push, load, args, tags, created, expectImageId, noCache, offline, insecureRegistries, quiet, verbose,
        };

        // A subcommand wins over the recipe argument, so a recipe file named "schema", "init", "inspect", "verify",
        // "diff" or "help" needs ./ before its name.
        root.Subcommands.Add(new SchemaCommand(stdout).Create());
        root.Subcommands.Add(new InitCommand(stdout, stderr).Create());
        root.Subcommands.Add(new ConvertCommand(stdout, stderr).Create());
        root.Subcommands.Add(new InspectCommand(stdout, stderr).Create());
        root.Subcommands.Add(new VerifyCommand(stdout, stderr).Create());
        root.Subcommands.Add(new DiffCommand(stdout, stderr).Create());
        root.Subcommands.Add(new HelpCommand(root, stderr).Create());
        HelpSections.AddTo(root, stdout);
        root.SetAction((result, token) => RunAsync(result, token));
        var parsed = root.Parse(commandLine);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'dotnet layerbuild --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Signals arrive as the caller's token (TerminationSignals), never through System.CommandLine: with
        // no ProcessTerminationTimeout (2.0.0's default here) it handles no signal at all, and the runtime
        // ends the process at once; with one, it cancels the token but returns from here when the timeout
        // passes, even while the build is still removing its temporary files. Null is stated on purpose.
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var parsedArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in result.GetValue(args) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !RecipeOptions.IsArgName(pair[..eq]))
            {
                await stderr.WriteLineAsync($"error: --arg '{pair}' is not NAME=VALUE").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            parsedArgs[pair[..eq]] = pair[(eq + 1)..];
        }

        // Both options accept only these names (AcceptOnlyFromAmong), so each parse succeeds.
        var givenCompression = result.GetValue(compression);
        _ = OutputNames.TryParseCompression(givenCompression ?? "none", out var layerCompression);
        _ = OutputNames.TryParseFormat(result.GetValue(format), out var archiveFormat);
        var pushes = result.GetValue(push);
        if (layerCompression != LayerCompression.None && archiveFormat != ArchiveFormat.Oci && !pushes)
        {
            await stderr.WriteLineAsync("error: --compression applies to --format oci and to --push; the docker format stores plain layer tars").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (pushes && result.GetValue(offline))
        {
            await stderr.WriteLineAsync("error: --push sends the image to a registry; --offline allows no registry request").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var options = new BuildOptions(
            result.GetValue(recipe)!,
            result.GetValue(output),
            archiveFormat,
            parsedArgs,
            result.GetValue(tags) ?? [],
            result.GetValue(created),
            result.GetValue(quiet),
            result.GetValue(verbose))
        {
            Compression = archiveFormat == ArchiveFormat.Oci ? layerCompression : LayerCompression.None,
            PushCompression = givenCompression is null ? LayerCompression.Gzip : layerCompression,
            NoCache = result.GetValue(noCache),
            Push = pushes,
            Load = result.GetValue(load),
            Offline = result.GetValue(offline),
            InsecureRegistries = result.GetValue(insecureRegistries) ?? [],
            ExpectImageId = result.GetValue(expectImageId),
            Platform = result.GetValue(platform),
        };
        return await new BuildRunner(stdout, stderr).RunAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
