namespace LayerBuilder.Conversion;

/// <summary>A recipe as the converter assembles it: every string already in recipe syntax (args as
/// <c>${NAME}</c>, env references as <c>${env.NAME}</c>, a literal <c>${</c> as <c>$${</c>).</summary>
internal sealed class RecipeDraft
{
    public string Image { get; set; } = "app";

    public string? Platform { get; set; }

    /// <summary>A registry reference (<c>base: REF</c>), null for scratch.</summary>
    public string? BaseReference { get; set; }

    public string? BaseArchive { get; set; }

    public List<KeyValuePair<string, string>> Args { get; } = [];

    public List<KeyValuePair<string, string>> Env { get; } = [];

    /// <summary>An exec-form list, or a shell-form string.</summary>
    public object? Entrypoint { get; set; }

    public object? Cmd { get; set; }

    public string? Workdir { get; set; }

    public string? User { get; set; }

    public List<KeyValuePair<string, string>> Labels { get; } = [];

    public List<string> Ports { get; } = [];

    public List<string> Volumes { get; } = [];

    public string? StopSignal { get; set; }

    /// <summary>Ordered keys of <c>healthcheck</c>: <c>test</c> (a list or a string) first.</summary>
    public List<KeyValuePair<string, object>>? Healthcheck { get; set; }

    public List<DraftStep> Steps { get; } = [];
}

/// <summary>One step: its name and its operations, each a list of ordered key/value items (values are
/// strings, booleans or string lists).</summary>
internal sealed class DraftStep(string name)
{
    public string Name { get; } = name;

    public List<List<KeyValuePair<string, object>>> Copy { get; } = [];

    public List<List<KeyValuePair<string, object>>> Extract { get; } = [];

    public List<string> Remove { get; } = [];
}
