using System.CommandLine;
using System.Text.Json;
using LayerBuilder.Diagnostics;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild verify IMAGE</c>: checks every digest, size, diff id and cross-reference of an
/// archive and every layer tar's headers and member names (<see cref="ImageArchive.ValidateAsync(string, CancellationToken)"/>);
/// exit 0 when there is nothing to report, else 1 with one LB diagnostic per problem (docs/diagnostics.md).
/// </summary>
public sealed class VerifyCommand(TextWriter stdout, TextWriter stderr)
{
    private readonly Argument<string> image = new("image") { HelpName = "IMAGE", Description = "An image archive (plain or .gz) or an OCI layout folder or tar." };
    private readonly Option<bool> partial = new("--partial") { Description = "Accept an image index whose platforms are only partly there (a save of the local platform): no LB4016." };
    private readonly Option<bool> json = new("--json") { Description = "Print JSON (docs/commands.md) instead of text; findings go to standard output." };
    private readonly Option<bool> verbose = new("--verbose") { Description = "Show stack traces of internal errors." };

    public Command Create()
    {
        var command = new Command("verify", "Checks an image archive: digests, sizes, diff ids, cross-references and layer tar headers. Exit 1 when anything is wrong.")
        {
            image, partial, json, verbose,
        };
        command.SetAction((result, token) => new ImageCommandRun(stderr).RunAsync(
            () => RunAsync(result, token), ExitCodes.InvalidInput, result.GetValue(verbose), token));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var path = result.GetValue(image)!;
        IReadOnlyList<Diagnostic> findings;
        try
        {
            findings = await ImageArchive.ValidateAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (LayerBuildException e) when (result.GetValue(json))
        {
            findings = e.Diagnostics; // an archive that cannot be read at all is one more finding
        }

        if (result.GetValue(partial))
        {
            findings = findings.Where(f => f.Code != DiagnosticCodes.PlatformManifestMissing).ToList();
        }

        if (result.GetValue(json))
        {
            await JsonOutput.WriteAsync(stdout, w => WriteJson(w, path, findings), cancellationToken).ConfigureAwait(false);
        }
        else if (findings.Count == 0)
        {
            await stdout.WriteLineAsync($"Verified:   {path}: every digest, size, diff id and reference agrees; every layer reads").ConfigureAwait(false);
        }
        else
        {
            foreach (var finding in findings)
            {
                await stderr.WriteLineAsync(BuildRunner.Line(finding)).ConfigureAwait(false);
            }
        }

        return findings.Count == 0 ? ExitCodes.Success : ExitCodes.InvalidInput;
    }

    private static void WriteJson(Utf8JsonWriter json, string path, IReadOnlyList<Diagnostic> findings)
    {
        json.WriteStartObject();
        json.WriteString("archive", path);
        json.WriteBoolean("valid", findings.Count == 0);
        json.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("code", finding.Code.Id);
            json.WriteString("title", finding.Code.Title);
            json.WriteString("message", finding.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
