namespace LayerBuilder.Diagnostics;

/// <summary>A place in an input file: 1-based line and column, as editors and MSBuild show them.</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>A position that names only the file (line and column unknown, shown as 1,1).</summary>
    public static SourcePosition StartOf(string file) => new(file, 1, 1);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
