using System.CommandLine;
using System.Text.Json;
using LayerBuilder.Image;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>
/// <c>dotnet layerbuild inspect IMAGE</c>: what an image archive holds (names, ids, platform, config,
/// history, layers), with <c>--files</c> every layer's entries and <c>--merged</c> the final filesystem;
/// <c>--json</c> for machines (docs/commands.md). Everything comes from the public reader
/// (<see cref="ImageArchive"/>), streaming.
/// </summary>
public sealed class InspectCommand(TextWriter stdout, TextWriter stderr)
{
    private readonly Argument<string> image = new("image") { HelpName = "IMAGE", Description = "An image archive (docker save, podman save, skopeo, LayerBuilder; plain or .gz) or an OCI layout folder or tar." };
    private readonly Option<string?> name = new("--image") { HelpName = "NAME:TAG", Description = "The image to show, when the archive holds several (name:tag, image id or manifest or index digest)." };
    private readonly Option<string?> platform = new("--platform") { HelpName = "OS/ARCH[/VARIANT]", Description = "The platform to show, when the image is an image index of several platforms." };
    private readonly Option<bool> files = new("--files") { Description = "List every layer's entries (type, mode, owner, size, link target, xattr names, whiteouts)." };
    private readonly Option<bool> merged = new("--merged") { Description = "List the final filesystem: the layers stacked, whiteouts applied, with each file's sha256." };
    private readonly Option<bool> json = new("--json") { Description = "Print JSON (docs/commands.md) instead of text." };
    private readonly Option<bool> verbose = new("--verbose") { Description = "Show stack traces of internal errors." };

    public Command Create()
    {
        var command = new Command("inspect", "Shows what an image archive holds: names, ids, platform, config, history and layers.")
        {
            image, name, platform, files, merged, json, verbose,
        };
        command.SetAction((result, token) => new ImageCommandRun(stderr).RunAsync(
            () => RunAsync(result, token), ExitCodes.InvalidInput, result.GetValue(verbose), token));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var path = result.GetValue(image)!;
        var archive = await ImageArchive.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        var choice = ImageChoice.Choose(archive, result.GetValue(name), result.GetValue(platform));
        if (choice.Single is not { } picked)
        {
            // An image index: its platforms are listed; --files and --merged need one image (--platform).
            if (result.GetValue(json))
            {
                await JsonOutput.WriteAsync(stdout, w => WriteIndexJson(w, path, choice), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteIndexTextAsync(choice).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        var show = new Shown(result.GetValue(files), result.GetValue(merged));
        if (result.GetValue(json))
        {
            await JsonOutput.WriteAsync(stdout, w => WriteJsonAsync(w, path, picked, show, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WriteTextAsync(picked, show, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private async Task WriteIndexTextAsync(ImageChoice choice)
    {
        var lines = new List<string>();
        lines.AddRange(choice.Names.Select(n => $"Name:       {n}"));
        lines.Add($"Index:      {choice.Index.Digest}");
        lines.AddRange(choice.Images.Select(i => $"Platform:   {i.Platform}  manifest {i.Manifest?.Digest}  image id {i.Id}"));
        await WriteLinesAsync(lines).ConfigureAwait(false);
    }

    private static void WriteIndexJson(Utf8JsonWriter json, string path, ImageChoice choice)
    {
        json.WriteStartObject();
        json.WriteString("archive", path);
        json.WriteStartArray("names");
        foreach (var n in choice.Names)
        {
            json.WriteStringValue(n);
        }

        json.WriteEndArray();
        json.WritePropertyName("index");
        WriteDescriptor(json, choice.Index);
        json.WriteStartArray("platforms");
        foreach (var image in choice.Images)
        {
            json.WriteStartObject();
            json.WriteString("platform", image.Platform.ToString());
            json.WritePropertyName("manifest");
            WriteDescriptor(json, image.Manifest!);
            json.WriteString("id", image.Id.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Layer entries are printed as they are read, one layer at a time; the final filesystem is
    /// read whole (its metadata only) before it is printed.</summary>
    private async Task WriteTextAsync(ArchivedImage picked, Shown show, CancellationToken cancellationToken)
    {
        var config = picked.Config;
        var lines = new List<string>();
        lines.AddRange(picked.Names.Select(n => $"Name:       {n}"));
        lines.Add($"Image id:   {picked.Id}");
        lines.Add($"Manifest:   {(picked.Manifest is { } manifest ? manifest.Digest.ToString() : "none (classic docker save archive)")}");
        lines.Add($"Platform:   {picked.Platform}");
        lines.Add($"Created:    {config.Created:yyyy-MM-ddTHH:mm:ssZ}");
        AddIfSet(lines, "User", config.Config.User);
        AddIfSet(lines, "Entrypoint", config.Config.Entrypoint is { } entrypoint ? JsonArrayText(entrypoint) : null);
        AddIfSet(lines, "Cmd", config.Config.Cmd is { } cmd ? JsonArrayText(cmd) : null);
        AddIfSet(lines, "Workdir", config.Config.WorkingDir);
        lines.AddRange(config.Config.Env.Select(e => $"Env:        {e}"));
        lines.AddRange(config.Config.Labels.Select(l => $"Label:      {l.Key}={l.Value}"));
        lines.AddRange(config.Config.ExposedPorts.Select(p => $"Port:       {p}"));
        await WriteLinesAsync(lines).ConfigureAwait(false);
        foreach (var layer in picked.Layers)
        {
            lines.Add($"Layer {layer.Index + 1}:    {layer.DiffId}  {layer.Size,12} bytes  {layer.MediaType}");
            if (layer.Digest != layer.DiffId)
            {
                lines.Add($"  digest:   {layer.Digest}");
            }

            if (picked.HistoryOf(layer)?.CreatedBy is { } createdBy)
            {
                lines.Add($"  created by: {createdBy}");
            }

            await WriteLinesAsync(lines).ConfigureAwait(false);
            if (show.Files)
            {
                await foreach (var entry in layer.ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
                {
                    await stdout.WriteLineAsync("  " + EntryText.Line(entry)).ConfigureAwait(false);
                }
            }
        }

        if (show.Merged)
        {
            var fileSystem = await picked.ReadFileSystemAsync(cancellationToken).ConfigureAwait(false);
            lines.Add($"Final filesystem: {fileSystem.Entries.Count} entries");
            lines.AddRange(fileSystem.Entries.Select(e => "  " + EntryText.Line(e)));
            await WriteLinesAsync(lines).ConfigureAwait(false);
        }
    }

    private async Task WriteLinesAsync(List<string> lines)
    {
        foreach (var line in lines)
        {
            await stdout.WriteLineAsync(line).ConfigureAwait(false);
        }

        lines.Clear();
    }

    private static void AddIfSet(List<string> lines, string label, string? value)
    {
        if (value is not null)
        {
            lines.Add($"{label + ":",-11} {value}");
        }
    }

    private static string JsonArrayText(IReadOnlyList<string> items) =>
        "[" + string.Join(", ", items.Select(i => JsonEncodedText.Encode(i, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Select(i => $"\"{i}\"")) + "]";

    private static async Task WriteJsonAsync(Utf8JsonWriter json, string path, ArchivedImage picked, Shown show, CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteString("archive", path);
        json.WriteStartArray("names");
        foreach (var n in picked.Names)
        {
            json.WriteStringValue(n);
        }

        json.WriteEndArray();
        json.WriteString("id", picked.Id.ToString());
        if (picked.Manifest is { } manifest)
        {
            json.WritePropertyName("manifest");
            WriteDescriptor(json, manifest);
        }
        else
        {
            json.WriteNull("manifest");
        }

        json.WriteString("platform", picked.Platform.ToString());
        json.WritePropertyName("configDescriptor");
        WriteDescriptor(json, picked.ConfigDescriptor);
        json.WritePropertyName("config");
        using (var config = JsonDocument.Parse(picked.RawConfig))
        {
            config.RootElement.WriteTo(json);
        }

        json.WriteStartArray("layers");
        foreach (var layer in picked.Layers)
        {
            json.WriteStartObject();
            json.WriteNumber("index", layer.Index);
            json.WriteString("diffId", layer.DiffId.ToString());
            json.WriteString("digest", layer.Digest.ToString());
            json.WriteNumber("size", layer.Size);
            json.WriteString("mediaType", layer.MediaType);
            if (picked.HistoryOf(layer)?.CreatedBy is { } createdBy)
            {
                json.WriteString("createdBy", createdBy);
            }
            else
            {
                json.WriteNull("createdBy");
            }

            if (show.Files)
            {
                json.WriteStartArray("entries");
                await foreach (var entry in layer.ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
                {
                    EntryText.Write(json, entry);
                    await JsonOutput.FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (show.Merged)
        {
            var fileSystem = await picked.ReadFileSystemAsync(cancellationToken).ConfigureAwait(false);
            json.WriteStartArray("merged");
            foreach (var entry in fileSystem.Entries)
            {
                EntryText.Write(json, entry);
                await JsonOutput.FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteNumber("size", descriptor.Size);
        json.WriteEndObject();
    }

    /// <summary>What the options ask to list besides the image itself.</summary>
    private readonly record struct Shown(bool Files, bool Merged);
}
