namespace LayerBuilder.Diagnostics;

/// <summary>
/// A place in an input file: 1-based line and column, as editors and MSBuild show them. A recipe built
/// in code has no file: its positions carry no line (0) and <see cref="File"/> names the place in words
/// (<c>recipe built in code (step 'app', file /app/run.sh)</c>); <c>default</c> is such a position, so
/// the recipe model can be made from code without inventing lines (docs/decisions.md, D25).
/// </summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>What a position made in code says when it names nothing more precise.</summary>
    public const string CodeOrigin = "recipe built in code";

    private readonly string? file = File;

    /// <summary>The input file as the user named it, or for a recipe built in code the place in words.</summary>
    public string File
    {
        get => file ?? CodeOrigin;
        init => file = value;
    }

    /// <summary>Whether the position points at a line of a file (a recipe built in code has none).</summary>
    public bool HasLine => Line > 0;

    /// <summary>A position that names only the file (line and column unknown, shown as 1,1).</summary>
    public static SourcePosition StartOf(string file) => new(file, 1, 1);

    /// <summary>A place in a recipe built in code, described in words (a step, an entry).</summary>
    public static SourcePosition InCode(string place) => new($"{CodeOrigin} ({place})", 0, 0);

    /// <summary>Where, for a sentence: <c>line 5, column 9</c>, or the words of a place in code.</summary>
    public string Where => HasLine ? $"line {Line}, column {Column}" : File;

    public override string ToString() => HasLine ? $"{File}:{Line}:{Column}" : File;
}
