namespace LayerBuilder.Recipe;

/// <summary>What a front end may override in a recipe (CLI flags, MSBuild properties).</summary>
public sealed record RecipeOptions
{
    /// <summary>Whether <paramref name="name"/> can name an arg (<c>--arg NAME=VALUE</c>, <c>LayerBuildArg</c>).</summary>
    public static bool IsArgName(string name) => ArgExpander.IsName(name);

    /// <summary><c>--arg NAME=VALUE</c>: override or add recipe args.</summary>
    public IReadOnlyDictionary<string, string> Args { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--tag</c>: when non-empty, replaces the recipe's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>--created</c>: RFC 3339, wins over the recipe and SOURCE_DATE_EPOCH.</summary>
    public string? Created { get; init; }

    /// <summary>The value of SOURCE_DATE_EPOCH (the front end reads the environment, the core does not).</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary>
    /// The recipe a file without <c>image:</c> is laid over (the MSBuild route's property-made recipe,
    /// docs/msbuild.md): keys the file sets win, <c>config</c> merges key by key, its steps follow the
    /// underlay's. Called only for such a file; a file with <c>image:</c> is complete and stands alone.
    /// </summary>
    internal Func<BuildRecipe>? Underlay { get; init; }

    /// <summary>Names of <see cref="Args"/> that a recipe need not use (the MSBuild route's automatic
    /// args); any other one the recipe never references is warned about (LB1067), as Docker warns about
    /// an unused build arg. Null: every one may go unused.</summary>
    internal IReadOnlySet<string>? QuietArgs { get; init; } = new HashSet<string>();
}
