using System.Globalization;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>
/// The image's runtime config of a recipe built in code, key for key as <c>config:</c> in
/// <c>layerbuild.yml</c> (docs/recipe.md, "config"). Over a base image it merges as the YAML does. A name
/// given twice (<see cref="Env"/>, <see cref="Label"/>, <see cref="Annotation"/>) keeps the last value;
/// the other setters replace. Wrong values are reported by <see cref="RecipeBuilder.Build"/> with the LB
/// code YAML gets; missing arguments throw at once.
/// </summary>
public sealed class ConfigBuilder
{
    private readonly List<KeyValuePair<string, string>> env = [];
    private readonly SortedDictionary<string, string> labels = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> annotations = new(StringComparer.Ordinal);
    private readonly List<string> ports = [];
    private readonly List<string> volumes = [];
    private List<string>? entrypoint;
    private List<string>? cmd;
    private string? workdir;
    private EntryOwner? user;
    private string? stopSignal;
    private HealthcheckItem? healthcheck;

    internal ConfigBuilder()
    {
    }

    /// <summary>The entrypoint in exec form (<c>ENTRYPOINT ["/app/run"]</c>); it clears a base image's cmd, as Docker does.</summary>
    public ConfigBuilder Entrypoint(params string[] arguments)
    {
        entrypoint = Arguments(arguments);
        return this;
    }

    /// <summary>The entrypoint in shell form: <c>/bin/sh -c COMMAND</c>.</summary>
    public ConfigBuilder EntrypointShell(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        entrypoint = [.. ShellForm, command];
        return this;
    }

    /// <summary>The command in exec form (<c>CMD ["--serve"]</c>).</summary>
    public ConfigBuilder Cmd(params string[] arguments)
    {
        cmd = Arguments(arguments);
        return this;
    }

    /// <summary>The command in shell form: <c>/bin/sh -c COMMAND</c>.</summary>
    public ConfigBuilder CmdShell(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        cmd = [.. ShellForm, command];
        return this;
    }

    /// <summary>An environment variable, in the order first given; merged by name over a base image's.</summary>
    public ConfigBuilder Env(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var at = env.FindIndex(e => e.Key == name);
        if (at >= 0)
        {
            env[at] = new(name, value);
        }
        else
        {
            env.Add(new(name, value));
        }

        return this;
    }

    /// <summary>The working folder, an absolute image path (kept as written).</summary>
    public ConfigBuilder Workdir(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        workdir = path;
        return this;
    }

    /// <summary>The user the container runs as: ids, or names that must exist in the image.</summary>
    public ConfigBuilder User(EntryOwner user)
    {
        this.user = StepBuilder.Checked(user, nameof(user));
        return this;
    }

    public ConfigBuilder Label(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        labels[key] = value;
        return this;
    }

    /// <summary>An annotation of the OCI manifest and index entry (not of the config).</summary>
    public ConfigBuilder Annotation(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        annotations[key] = value;
        return this;
    }

    /// <summary>An exposed port: <c>"8080"</c> (tcp), <c>"8080/tcp"</c>, <c>"53/udp"</c>, <c>"9/sctp"</c>.</summary>
    public ConfigBuilder Port(string port)
    {
        ArgumentException.ThrowIfNullOrEmpty(port);
        ports.Add(port);
        return this;
    }

    /// <summary>An exposed TCP port.</summary>
    public ConfigBuilder Port(int port) => Port(port.ToString(CultureInfo.InvariantCulture));

    /// <summary>A volume, an absolute image path.</summary>
    public ConfigBuilder Volume(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        volumes.Add(path);
        return this;
    }

    /// <summary>The stop signal: <c>SIGTERM</c>, <c>TERM</c>, <c>SIGRTMIN+3</c> or a number 1-64.</summary>
    public ConfigBuilder StopSignal(string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        stopSignal = signal;
        return this;
    }

    /// <summary>The healthcheck (Docker's HEALTHCHECK): <paramref name="test"/> starts with <c>CMD</c>,
    /// <c>CMD-SHELL</c> or <c>NONE</c>; durations left out take Docker's defaults.</summary>
    public ConfigBuilder Healthcheck(
        IEnumerable<string> test,
        TimeSpan? interval = null,
        TimeSpan? timeout = null,
        TimeSpan? startPeriod = null,
        TimeSpan? startInterval = null,
        int? retries = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        healthcheck = new HealthcheckItem(Arguments(test.ToArray(), nameof(test)), interval, timeout, startPeriod, startInterval, retries);
        return this;
    }

    /// <summary>A healthcheck in shell form: <c>CMD-SHELL COMMAND</c>.</summary>
    public ConfigBuilder HealthcheckShell(
        string command,
        TimeSpan? interval = null,
        TimeSpan? timeout = null,
        TimeSpan? startPeriod = null,
        TimeSpan? startInterval = null,
        int? retries = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return Healthcheck([ShellHealthcheck, command], interval, timeout, startPeriod, startInterval, retries);
    }

    /// <summary>The config as the model holds it, every value checked as <see cref="ConfigReader"/> checks YAML.</summary>
    internal ConfigSpec Build(RecipeChecks checks) => new()
    {
        // Strings from code are literal (docs/library.md): escaped into the model's env template form.
        Env = env.Where(e => checks.EnvName(new Positioned<string>(e.Key, At($"env {e.Key}"))))
            .Select(e => new KeyValuePair<string, string>(e.Key, EnvTemplate.Escape(e.Value))).ToList(),
        Entrypoint = entrypoint,
        Cmd = cmd,
        WorkingDir = workdir is null ? null : checks.WorkingDir(new Positioned<string>(workdir, At("workdir"))),
        User = user is { } u ? checks.User(new Positioned<string>(u.Text, At("user"))) : null,
        Labels = new SortedDictionary<string, string>(labels, StringComparer.Ordinal),
        Annotations = new SortedDictionary<string, string>(annotations, StringComparer.Ordinal),
        ExposedPorts = checks.Ports(ports.Select(p => new Positioned<string>(p, At($"port {p}")))),
        Volumes = checks.Volumes(volumes.Select(v => new Positioned<string>(v, At($"volume {v}")))),
        StopSignal = stopSignal is null ? null : checks.StopSignal(new Positioned<string>(stopSignal, At("stop signal"))),
        Healthcheck = healthcheck is null ? null : BuildHealthcheck(healthcheck, checks),
    };

    private static HealthcheckSpec BuildHealthcheck(HealthcheckItem item, RecipeChecks checks)
    {
        var at = At("healthcheck");
        checks.HealthcheckTest(item.Test, at);
        return new HealthcheckSpec(
            item.Test,
            Duration(item.Interval, "interval"),
            Duration(item.Timeout, "timeout"),
            Duration(item.StartPeriod, "startPeriod"),
            Duration(item.StartInterval, "startInterval"),
            item.Retries is { } r ? checks.Retries(new Positioned<int>(r, at)) : null);

        long? Duration(TimeSpan? value, string key) => value is { } v ? checks.Duration(new Positioned<TimeSpan>(v, at), key) : null;
    }

    private static SourcePosition At(string what) => SourcePosition.InCode($"config, {what}");

    private static List<string> Arguments(string[] arguments, string parameter = "arguments")
    {
        ArgumentNullException.ThrowIfNull(arguments, parameter);
        foreach (var argument in arguments)
        {
            ArgumentException.ThrowIfNullOrEmpty(argument, parameter);
        }

        return [.. arguments];
    }

    /// <summary>Docker's shell form of ENTRYPOINT and CMD, as the recipe's string form writes it.</summary>
    private static readonly string[] ShellForm = ["/bin/sh", "-c"];

    private const string ShellHealthcheck = "CMD-SHELL";

    private sealed record HealthcheckItem(List<string> Test, TimeSpan? Interval, TimeSpan? Timeout, TimeSpan? StartPeriod, TimeSpan? StartInterval, int? Retries);
}
