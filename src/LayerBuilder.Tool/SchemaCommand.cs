using System.CommandLine;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild schema</c>: prints the JSON Schema of the recipe, so editors with the YAML
/// language server can complete and check <c>layerbuild.yml</c>. The schema is embedded from the
/// repository's <c>schema/layerbuild.schema.json</c>, so the printed text and the file are one copy.
/// </summary>
public sealed class SchemaCommand(TextWriter stdout)
{
    public const string ResourceName = "LayerBuilder.Tool.layerbuild.schema.json";

    public Command Create()
    {
        var command = new Command("schema", "Prints the JSON Schema of layerbuild.yml recipes (for editors and the YAML language server).");
        command.SetAction((_, token) => RunAsync(token));
        return command;
    }

    /// <summary>The schema text exactly as the repository file holds it.</summary>
    public static string Text()
    {
        using var stream = typeof(SchemaCommand).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the tool was built without its embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Write, not WriteLine: the file already ends with a newline, and redirecting the output
        // into a file should reproduce it byte for byte.
        await stdout.WriteAsync(Text().AsMemory(), cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
