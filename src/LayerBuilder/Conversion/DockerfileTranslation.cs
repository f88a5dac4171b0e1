using System.Buffers;
using System.Text;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Conversion;

/// <summary>
/// One conversion: walks the instructions in order, keeping what Docker's builder keeps while it reads a
/// Dockerfile (the args in scope, the env the Dockerfile has set, the working folder, the shell), and
/// fills a <see cref="RecipeDraft"/>. Env values the Dockerfile sets itself are inlined where later
/// instructions use them; a value from the base image's env becomes <c>${env.NAME}</c>, which a recipe
/// has in <c>config.env</c> only (docs/decisions.md D47, D49).
/// </summary>
internal sealed class DockerfileTranslation(DockerfileConversionRequest request)
{
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    private readonly List<Diagnostic> diagnostics = [];
    private readonly RecipeDraft draft = new() { Image = request.ImageName };
    private readonly HashSet<string> globalArgs = new(StringComparer.Ordinal);
    private readonly HashSet<string> stageArgs = new(StringComparer.Ordinal);
    private DockerfileWords words = new('\\');
    private string workdir = "/";
    private List<string> shell = [.. DefaultShell];
    private bool fromSeen;

    private enum Scope
    {
        /// <summary>FROM: only the args declared before the first FROM.</summary>
        From,

        /// <summary>An ENV value: a name the Dockerfile did not set comes from the base's env.</summary>
        Env,

        /// <summary>Any other instruction: args and the env this Dockerfile set with known values.</summary>
        Plain,
    }

    public DockerfileConversion Run()
    {
        var bag = new DiagnosticBag();
        var instructions = DockerfileLines.Read(request.Text, request.File, bag, out var escape);
        foreach (var problem in bag.Items)
        {
            Report(problem.Code, problem.Position, problem.Message);
        }

        words = new DockerfileWords(escape);
        foreach (var instruction in instructions)
        {
            if (!fromSeen && instruction.Keyword is not ("FROM" or "ARG"))
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.DockerfileNoFrom, Severity.Error, instruction.Position,
                    $"{instruction.Keyword} before FROM: a Dockerfile starts with FROM (only ARG may come first)"));
                break;
            }

            if (!Translate(instruction))
            {
                break;
            }
        }

        if (!fromSeen && !diagnostics.Any(d => d.Code == DiagnosticCodes.DockerfileNoFrom))
        {
            diagnostics.Add(new Diagnostic(DiagnosticCodes.DockerfileNoFrom, Severity.Error, SourcePosition.StartOf(request.File),
                "the Dockerfile has no FROM instruction"));
        }

        var sorted = diagnostics.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ToList();
        var failed = sorted.Any(d => d.Severity == Severity.Error);
        return new DockerfileConversion(failed ? null : RecipeYamlWriter.Write(draft, Path.GetFileName(request.File)), sorted);
    }

    /// <summary>Translates one instruction; false when the rest of the Dockerfile cannot be read as this stage.</summary>
    private bool Translate(DockerfileInstruction instruction)
    {
        var at = instruction.Position;
        var arguments = instruction.Arguments;
        if (arguments.Length == 0 && instruction.Keyword is not "FROM")
        {
            Syntax(at, $"{instruction.Keyword} needs arguments");
            return true;
        }

        switch (instruction.Keyword)
        {
            case "FROM":
                return From(instruction);
            case "ARG":
                Arg(instruction);
                break;
            case "ENV":
                Env(instruction);
                break;
            case "LABEL":
                foreach (var (key, value) in Pairs(instruction, Scope.Plain))
                {
                    var existing = draft.Labels.FindIndex(l => l.Key == key);
                    if (existing >= 0)
                    {
                        draft.Labels.RemoveAt(existing);
                    }

                    draft.Labels.Add(new(key, value));
                }

                break;
            case "EXPOSE":
                draft.Ports.AddRange(Words(arguments, at, Scope.Plain).Where(p => !draft.Ports.Contains(p)).ToList());
                break;
            case "VOLUME":
                var volumes = DockerfileWords.JsonForm(arguments) is { } list
                    ? list.Select(v => Expand(v, at, Scope.Plain)).OfType<string>().ToList()
                    : Words(arguments, at, Scope.Plain);
                draft.Volumes.AddRange(volumes.Where(v => !draft.Volumes.Contains(v)).ToList());
                break;
            case "WORKDIR":
                if (One(instruction, Scope.Plain) is { } dir)
                {
                    workdir = Absolute(dir);
                    draft.Workdir = workdir;
                    diagnostics.Add(new Diagnostic(DiagnosticCodes.DockerfileWorkdirNotCreated, Severity.Warning, at,
                        $"WORKDIR {dir}: a recipe's workdir does not create the folder; if neither the base nor a step has it, add it under a step's 'dirs' (the runtime creates a missing one when a container starts)"));
                }

                break;
            case "USER":
                draft.User = One(instruction, Scope.Plain);
                break;
            case "STOPSIGNAL":
                draft.StopSignal = One(instruction, Scope.Plain);
                break;
            case "CMD":
                draft.Cmd = Command(arguments);
                break;
            case "ENTRYPOINT":
                draft.Entrypoint = Command(arguments);
                break;
            case "HEALTHCHECK":
                Healthcheck(instruction);
                break;
            case "COPY":
            case "ADD":
                Copy(instruction);
                break;
            case "RUN":
                Run(instruction);
                break;
            case "SHELL":
                shell = DockerfileWords.JsonForm(arguments) ?? shell;
                Unsupported(DiagnosticCodes.DockerfileConfigWithoutKey, at,
                    "SHELL sets the image config's Shell, which a recipe has no key for; write ENTRYPOINT, CMD and HEALTHCHECK in the exec (JSON) form instead");
                break;
            case "MAINTAINER":
                Unsupported(DiagnosticCodes.DockerfileConfigWithoutKey, at,
                    "MAINTAINER sets the image config's author, which a recipe has no key for; use LABEL org.opencontainers.image.authors=... instead");
                break;
            case "ONBUILD":
                Unsupported(DiagnosticCodes.DockerfileConfigWithoutKey, at,
                    "ONBUILD stores instructions in the image config for a later build, which a recipe has no key for");
                break;
            default:
                diagnostics.Add(new Diagnostic(DiagnosticCodes.DockerfileUnknownInstruction, Severity.Error, at,
                    $"unknown instruction '{instruction.Keyword}'"));
                break;
        }

        return true;
    }

    private bool From(DockerfileInstruction instruction)
    {
        var at = instruction.Position;
        if (fromSeen)
        {
            Unsupported(DiagnosticCodes.DockerfileMultiStage, at,
                "a second FROM starts another build stage; a recipe builds one image on one base: convert the stage you ship on its own (what it copies from other stages is COPY --from, which a recipe cannot express either); the instructions from here on are not converted");
            return false;
        }

        fromSeen = true;
        var parts = words.Split(instruction.Arguments);
        while (parts.Count > 0 && parts[0].StartsWith("--", StringComparison.Ordinal))
        {
            var flag = parts[0];
            parts.RemoveAt(0);
            if (flag.StartsWith("--platform=", StringComparison.Ordinal))
            {
                draft.Platform = Expand(flag["--platform=".Length..], at, Scope.From);
            }
            else
            {
                Unsupported(DiagnosticCodes.DockerfileUnsupportedFlag, at, $"FROM {flag}: a recipe has no such option");
            }
        }

        if (parts.Count is not (1 or 3) || (parts.Count == 3 && !parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
        {
            Syntax(at, "FROM takes an image and optionally AS NAME: FROM [--platform=P] IMAGE [AS NAME]");
            return true;
        }

        var image = Expand(parts[0], at, Scope.From);
        if (image is not null && !image.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            draft.BaseReference = image;
            draft.BaseArchive = request.BaseImageArchive;
        }

        return true;
    }

    private void Arg(DockerfileInstruction instruction)
    {
        foreach (var word in words.Split(instruction.Arguments))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? word : word[..equals];
            if (!Recipe.ArgExpander.IsName(name))
            {
                Syntax(instruction.Position, $"ARG '{name}' is not a name a recipe arg can have: letters, digits and '_', not starting with a digit");
                continue;
            }

            (fromSeen ? stageArgs : globalArgs).Add(name);
            var at = draft.Args.FindIndex(a => a.Key == name);
            if (equals < 0)
            {
                if (at < 0)
                {
                    // Docker gives an ARG without a default the empty string unless --build-arg sets it.
                    draft.Args.Add(new(name, ""));
                }

                continue;
            }

            var pieces = words.Process(word[(equals + 1)..]);
            if (pieces.Any(p => p is VariablePiece) || words.UnsupportedVariable is not null)
            {
                words.Reset();
                Unsupported(DiagnosticCodes.DockerfileVariable, instruction.Position,
                    $"ARG {name}'s default refers to another variable; a recipe's args are used as written (an arg does not expand others): give a plain default");
                continue;
            }

            var value = Literal(((LiteralPiece)pieces[0]).Text);
            if (at >= 0)
            {
                draft.Args[at] = new(name, value);
            }
            else
            {
                draft.Args.Add(new(name, value));
            }
        }
    }

    private void Env(DockerfileInstruction instruction)
    {
        // All values of one ENV see the env as it was before it, as Docker's builder substitutes them.
        foreach (var (name, value) in Pairs(instruction, Scope.Env))
        {
            var at = draft.Env.FindIndex(e => e.Key == name);
            if (at >= 0)
            {
                draft.Env[at] = new(name, value);
            }
            else
            {
                draft.Env.Add(new(name, value));
            }
        }
    }

    /// <summary>The <c>KEY=VALUE ...</c> form of ENV and LABEL, or the old <c>KEY rest of line</c> form.</summary>
    private List<KeyValuePair<string, string>> Pairs(DockerfileInstruction instruction, Scope scope)
    {
        var at = instruction.Position;
        var result = new List<KeyValuePair<string, string>>();
        var parts = words.Split(instruction.Arguments);
        if (parts.Count > 0 && !parts[0].Contains('=', StringComparison.Ordinal))
        {
            var key = Expand(parts[0], at, Scope.Plain);
            var rest = instruction.Arguments[(instruction.Arguments.IndexOf(parts[0], StringComparison.Ordinal) + parts[0].Length)..].Trim();
            if (rest.Length == 0)
            {
                Syntax(at, $"{instruction.Keyword} {parts[0]} has no value: write {instruction.Keyword} NAME=VALUE");
                return result;
            }

            if (key is not null && Expand(rest, at, scope) is { } value)
            {
                result.Add(new(key, value));
            }

            return result;
        }

        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Syntax(at, $"{instruction.Keyword} '{part}' is not NAME=VALUE");
                continue;
            }

            if (Expand(part[..equals], at, Scope.Plain) is { } key && Expand(part[(equals + 1)..], at, scope) is { } value)
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }

    private object Command(string arguments)
    {
        if (DockerfileWords.JsonForm(arguments) is { } exec)
        {
            return exec.Select(Literal).ToList();
        }

        // Shell form: Docker runs the text as written (no variables replaced) under the current shell.
        return shell.SequenceEqual(DefaultShell) ? Literal(arguments) : new List<string>([.. shell.Select(Literal), Literal(arguments)]);
    }

    private void Healthcheck(DockerfileInstruction instruction)
    {
        var at = instruction.Position;
        var options = new List<KeyValuePair<string, object>>();
        var rest = instruction.Arguments;
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..].TrimStart();
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (flag[2..], "") : (flag[2..equals], flag[(equals + 1)..]);
            var key = name switch
            {
                "interval" => "interval",
                "timeout" => "timeout",
                "start-period" => "startPeriod",
                "start-interval" => "startInterval",
                "retries" => "retries",
                _ => null,
            };
            if (key is null)
            {
                Unsupported(DiagnosticCodes.DockerfileUnsupportedFlag, at, $"HEALTHCHECK {flag}: a recipe has no such option");
                continue;
            }

            options.Add(new(key, Literal(value)));
        }

        var space = rest.IndexOfAny([' ', '\t']);
        var kind = (space < 0 ? rest : rest[..space]).ToUpperInvariant();
        var command = space < 0 ? "" : rest[(space + 1)..].Trim();
        if (kind == "NONE")
        {
            draft.Healthcheck = [new("test", new List<string> { "NONE" })];
            return;
        }

        if (kind != "CMD" || command.Length == 0)
        {
            Syntax(at, "HEALTHCHECK takes NONE or [OPTIONS] CMD COMMAND");
            return;
        }

        object test = DockerfileWords.JsonForm(command) is { } exec
            ? new List<string> { "CMD" }.Concat(exec.Select(Literal)).ToList()
            : Literal(command);
        draft.Healthcheck = [new("test", test), .. options];
    }

    private void Copy(DockerfileInstruction instruction)
    {
        var at = instruction.Position;
        var isAdd = instruction.Keyword == "ADD";
        var rest = instruction.Arguments;
        string? owner = null, chmod = null;
        var exclude = new List<string>();
        var parts = words.Split(rest);
        while (parts.Count > 0 && parts[0].StartsWith("--", StringComparison.Ordinal))
        {
            var flag = parts[0];
            parts.RemoveAt(0);
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (flag[2..], "") : (flag[2..equals], flag[(equals + 1)..]);
            switch (name)
            {
                case "chown":
                    owner = Expand(value, at, Scope.Plain);
                    break;
                case "chmod":
                    chmod = Expand(value, at, Scope.Plain);
                    break;
                case "link":
                    // Only how BuildKit stacks the layer; the files are the same.
                    break;
                case "exclude":
                    if (Expand(value, at, Scope.Plain) is { } pattern)
                    {
                        exclude.Add(pattern);
                    }

                    break;
                case "from":
                    Unsupported(DiagnosticCodes.DockerfileCopyFrom, at,
                        $"{instruction.Keyword} {flag} copies from another stage or image; a recipe copies host files only: copy the files from a folder (for example what the other stage's build wrote)");
                    return;
                default:
                    Unsupported(DiagnosticCodes.DockerfileUnsupportedFlag, at, $"{instruction.Keyword} {flag}: a recipe has no such option");
                    return;
            }
        }

        // The JSON form, for paths with spaces, holds the words after the flags.
        var remaining = string.Join(' ', parts);
        var paths = DockerfileWords.JsonForm(remaining) is { } json
            ? json.Select(p => Expand(p, at, Scope.Plain)).ToList()
            : parts.Select(p => Expand(p, at, Scope.Plain)).ToList();
        if (paths.Any(p => p is null))
        {
            return;
        }

        if (paths.Count < 2)
        {
            Syntax(at, $"{instruction.Keyword} needs a source and a destination");
            return;
        }

        var dest = paths[^1]!;
        var sources = paths.Take(paths.Count - 1).Select(p => p!).ToList();
        if (sources.Count > 1 && !dest.EndsWith('/'))
        {
            Syntax(at, $"{instruction.Keyword} with several sources needs a destination folder ending in '/' (Docker refuses it too)");
            return;
        }

        var destination = Absolute(dest) + (dest.EndsWith('/') && dest != "/" ? "/" : "");
        var step = new DraftStep(instruction.Text);
        foreach (var source in sources)
        {
            if (isAdd && (source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal)))
            {
                Unsupported(DiagnosticCodes.DockerfileRemoteSource, at,
                    $"ADD {source} fetches from the network; a recipe takes local files only: download it first and COPY (or extract) the file");
                continue;
            }

            var hostPath = HostSource(source);
            if (isAdd && ArchiveKind(source) is { } archive)
            {
                if (archive != "tar")
                {
                    Unsupported(DiagnosticCodes.DockerfileArchive, at,
                        $"ADD {source} is an {archive} archive; a recipe's extract reads tar, gzip, bzip2 and zstd: recompress it, or COPY it unextracted");
                    continue;
                }

                if (owner is not null || chmod is not null)
                {
                    Unsupported(DiagnosticCodes.DockerfileArchive, at,
                        $"ADD --chown/--chmod of the archive {source}: a recipe's extract keeps each entry's own owner and mode");
                    continue;
                }

                step.Extract.Add([new("src", hostPath), new("dest", destination.TrimEnd('/') is { Length: > 0 } d ? d : "/")]);
                continue;
            }

            var item = new List<KeyValuePair<string, object>> { new("src", hostPath), new("dest", destination) };
            if (exclude.Count > 0)
            {
                item.Add(new("exclude", exclude.ToList()));
            }

            if (chmod is not null)
            {
                item.Add(new("mode", chmod));
                item.Add(new("dirMode", chmod));
            }
            else
            {
                // COPY keeps the host's permission bits (docs/docker-differences.md).
                item.Add(new("preserveMode", true));
            }

            if (owner is not null)
            {
                item.Add(new("owner", owner));
            }

            step.Copy.Add(item);
        }

        if (step.Copy.Count + step.Extract.Count > 0)
        {
            draft.Steps.Add(step);
        }
    }

    /// <summary><c>RUN rm -rf PATH...</c> of plain paths is a recipe <c>remove</c>; any other RUN runs a program.</summary>
    private void Run(DockerfileInstruction instruction)
    {
        var tokens = DockerfileWords.JsonForm(instruction.Arguments)
            ?? (instruction.Arguments.AsSpan().IndexOfAny(ShellSyntax) < 0 ? instruction.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList() : null);
        if (tokens is { Count: > 2 } && tokens[0] == "rm")
        {
            var flags = tokens.Skip(1).TakeWhile(t => t.StartsWith('-')).ToList();
            var letters = string.Concat(flags.Where(f => !f.StartsWith("--", StringComparison.Ordinal)).Select(f => f[1..]));
            var paths = tokens.Skip(1 + flags.Count).ToList();
            var recursive = letters.Contains('r', StringComparison.Ordinal) || letters.Contains('R', StringComparison.Ordinal) || flags.Contains("--recursive");
            var force = letters.Contains('f', StringComparison.Ordinal) || flags.Contains("--force");
            if (recursive && force && paths.Count > 0 && letters.All(c => c is 'r' or 'R' or 'f') &&
                flags.All(f => !f.StartsWith("--", StringComparison.Ordinal) || f is "--recursive" or "--force"))
            {
                var step = new DraftStep(instruction.Text);
                step.Remove.AddRange(paths.Select(p => Literal(Absolute(p))));
                draft.Steps.Add(step);
                return;
            }
        }

        Unsupported(DiagnosticCodes.DockerfileRun, instruction.Position,
            "RUN runs a program in the image; LayerBuilder runs nothing: put what the command makes into the build's inputs (copy, files, dirs, symlinks, extract), or keep this Dockerfile for it (only 'rm -rf' of plain paths converts, to remove)");
    }

    /// <summary>Characters that make a shell-form RUN more than a plain command with plain paths.</summary>
    private static readonly SearchValues<char> ShellSyntax = SearchValues.Create(";&|<>()$`*?[]{}~'\"\\#=");

    /// <summary>What kind of archive ADD extracts a source as: "tar" (plain or compressed in a form a recipe
    /// reads), another format's name, or null for a file ADD copies. Docker looks at the bytes; so does this
    /// when the context is at hand, else at the name.</summary>
    private string? ArchiveKind(string source)
    {
        if (FileSystem.Glob.HasWildcards(source))
        {
            return null;
        }

        if (request.ContextFolder is { } context && Path.Combine(context, source.TrimStart('/')) is var path && File.Exists(path))
        {
            Span<byte> head = stackalloc byte[262];
            int read;
            using (var stream = File.OpenRead(path))
            {
                read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            var bytes = head[..read];
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) || bytes.StartsWith("BZh"u8) || bytes.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
            {
                return "tar";
            }

            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
            {
                return "xz";
            }

            return read >= 262 && bytes[257..262].SequenceEqual("ustar"u8) ? "tar" : null;
        }

        string[] tars = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.zst"];
        if (tars.Any(e => source.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return "tar";
        }

        return source.EndsWith(".tar.xz", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".txz", StringComparison.OrdinalIgnoreCase) ? "xz" : null;
    }

    /// <summary>A context path as the recipe names it: relative to the recipe's folder.</summary>
    private string HostSource(string source)
    {
        var relative = source.TrimStart('/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        if (relative.Length == 0 || relative == ".")
        {
            relative = ".";
        }

        var prefix = request.ContextFromRecipe.Replace('\\', '/').TrimEnd('/');
        return prefix.Length == 0 ? relative : relative == "." ? prefix + "/" : $"{prefix}/{relative}";
    }

    /// <summary>An image path against the working folder, as Docker resolves relative destinations.</summary>
    private string Absolute(string path)
    {
        var joined = path.StartsWith('/') ? path : workdir.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in joined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private string? One(DockerfileInstruction instruction, Scope scope)
    {
        var parts = words.Split(instruction.Arguments);
        if (parts.Count != 1)
        {
            Syntax(instruction.Position, $"{instruction.Keyword} takes one value");
            return null;
        }

        return Expand(parts[0], instruction.Position, scope);
    }

    private List<string> Words(string arguments, SourcePosition at, Scope scope) =>
        words.Split(arguments).Select(w => Expand(w, at, scope)).OfType<string>().ToList();

    /// <summary>A word in recipe syntax: quotes removed, args as <c>${NAME}</c>, the Dockerfile's own env
    /// inlined, the base's env as <c>${env.NAME}</c> (ENV values only); null after a reported problem.</summary>
    private string? Expand(string word, SourcePosition at, Scope scope)
    {
        var pieces = words.Process(word);
        if (words.UnsupportedVariable is { } form)
        {
            words.Reset();
            Unsupported(DiagnosticCodes.DockerfileVariable, at,
                $"'{form}': a recipe has plain references only (${{NAME}} for args, ${{env.NAME}} in config.env): write the value out");
            return null;
        }

        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            string part;
            if (piece is LiteralPiece literal)
            {
                part = Literal(literal.Text);
            }
            else
            {
                var name = ((VariablePiece)piece).Name;
                var known = draft.Env.FindIndex(e => e.Key == name);
                if (scope != Scope.From && known >= 0 && (scope == Scope.Env || !draft.Env[known].Value.Contains("${env.", StringComparison.Ordinal)))
                {
                    part = draft.Env[known].Value;
                }
                else if ((scope == Scope.From ? globalArgs : stageArgs).Contains(name))
                {
                    part = "${" + name + "}";
                }
                else if (scope == Scope.Env)
                {
                    part = "${env." + name + "}";
                }
                else
                {
                    Unsupported(DiagnosticCodes.DockerfileVariable, at,
                        scope == Scope.From
                            ? $"${name} in FROM is no ARG declared before FROM"
                            : $"${name} is no ARG of this stage and no ENV this Dockerfile sets to a known value (Docker would take the base image's env, or nothing); a recipe can refer to the base's env in config.env values only: write the value out");
                    return null;
                }

                if (text.Length > 0 && text[^1] == '$' && part.StartsWith('$'))
                {
                    Unsupported(DiagnosticCodes.DockerfileVariable, at, $"a '$' right before ${name} cannot be written in a recipe value: write the value out");
                    return null;
                }
            }

            text.Append(part);
        }

        return text.ToString();
    }

    /// <summary>Literal text in recipe syntax: a <c>${</c> would be an arg reference, so it is escaped.</summary>
    private static string Literal(string text) => text.Replace("${", "$${", StringComparison.Ordinal);

    private void Syntax(SourcePosition at, string message) =>
        diagnostics.Add(new Diagnostic(DiagnosticCodes.DockerfileSyntax, Severity.Error, at, message));

    /// <summary>An instruction a recipe cannot express: an error, or with --allow-partial a warning.</summary>
    private void Unsupported(DiagnosticCode code, SourcePosition at, string message) =>
        diagnostics.Add(new Diagnostic(code, request.AllowPartial ? Severity.Warning : Severity.Error, at, message));

    private void Report(DiagnosticCode code, SourcePosition at, string message)
    {
        if (code == DiagnosticCodes.DockerfileHeredoc)
        {
            Unsupported(code, at, message);
        }
        else
        {
            Syntax(at, message);
        }
    }
}
