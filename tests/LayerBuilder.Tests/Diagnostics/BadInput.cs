namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// One row of the bad-input table: a recipe (or command line) that must fail in a precise way.
/// In <see cref="Recipe"/>, each <c>»</c> marks where one expected diagnostic points (line and column
/// of the character after it), in the order the diagnostics are printed; <c>{fixtures}</c> is replaced
/// by the folder of shared fixture inputs (base image archives, tars) before positions are counted.
/// </summary>
public sealed record BadInput(string Name, string Recipe, string[] Codes, string[] Words)
{
    public const char Marker = '»';

    /// <summary>Removes the markers from <paramref name="marked"/>; returns where each one was, counted in
    /// the text without markers (lines and columns from 1).</summary>
    public static (string Text, List<(int Line, int Column)> Positions) Unmark(string marked)
    {
        var text = new System.Text.StringBuilder();
        var positions = new List<(int, int)>();
        int line = 1, column = 1;
        foreach (var c in marked)
        {
            if (c == Marker)
            {
                positions.Add((line, column));
                continue;
            }

            text.Append(c);
            (line, column) = c == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        return (text.ToString(), positions);
    }

    /// <summary>Creates the host files the recipe names (copy sources and the like) in the recipe's folder.</summary>
    public Action<Workspace>? Arrange { get; init; }

    /// <summary>Command-line arguments after the recipe and <c>-o</c>.</summary>
    public string[] Arguments { get; init; } = [];

    public int ExitCode { get; init; } = 1;

    /// <summary>
    /// How the recipe text becomes the file's bytes; UTF-8 unless a row needs bytes UTF-8 cannot make
    /// (<see cref="Latin1"/> writes each character below 256 as that one byte, so "\xff" is a raw 0xFF).
    /// </summary>
    public Func<string, byte[]>? RecipeBytes { get; init; }

    public static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);

    /// <summary>Gives the recipe argument when it is not the recipe file the case writes (a folder, a missing file).</summary>
    public Func<Workspace, string>? RecipeArgument { get; init; }

    /// <summary>For diagnostics that point outside the recipe text: the exact <c>file:line:col</c> expected.</summary>
    public Func<Workspace, string>? Where { get; init; }

    public override string ToString() => Name;
}
