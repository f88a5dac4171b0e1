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
