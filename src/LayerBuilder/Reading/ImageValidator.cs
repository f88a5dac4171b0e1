using System.Formats.Tar;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// Checks every digest and size of an archive's images (docs/diagnostics.md, LB4xxx): the listing's
/// findings (metadata blobs, counts, cross-references, media types, the repositories file), then each
/// layer blob in one streaming pass that hashes and counts the stored bytes, decompresses them, hashes
/// the tar, and reads every entry with the hardened tar reader, checking member names as they pass
/// (<see cref="LayerMemberChecks"/>). A blob two images share is read once.
/// </summary>
internal static class ImageValidator
{
    public static async Task<IReadOnlyList<Diagnostic>> ValidateAsync(ArchiveContents contents, ImageListing listing, CancellationToken cancellationToken)
    {
        var found = listing.Findings.Select(f => Finding(contents, f.Code, f.Message)).ToList();
        var blobs = new Dictionary<string, BlobFacts>(StringComparer.Ordinal);
        foreach (var layer in listing.Images.SelectMany(i => i.Layers))
        {
            if (!blobs.TryGetValue(layer.Member, out var facts))
            {
                facts = await ReadAsync(layer, contents, cancellationToken).ConfigureAwait(false);
                blobs[layer.Member] = facts;
                found.AddRange(facts.MemberFindings.Select(f => Finding(contents, f.Code, f.Message)));
                if (facts.Failure is { } failure)
                {
                    found.AddRange(failure.Diagnostics.Select(d => Finding(contents, DiagnosticCodes.LayerUnreadable, d.Message)));
                }
            }

            if (layer.IsDescribed && facts.Digest != layer.Digest)
            {
                found.Add(Finding(contents, DiagnosticCodes.BlobDigestMismatch, $"{layer.Description} in {contents.Description} has sha256 {facts.Digest}, but its manifest says {layer.Digest}"));
            }

            if (layer.IsDescribed && facts.Size != layer.Size)
            {
                found.Add(Finding(contents, DiagnosticCodes.BlobSizeMismatch, $"{layer.Description} in {contents.Description} has {facts.Size} bytes, but its manifest says {layer.Size}"));
            }

            if (facts.DiffId is { } diffId && diffId != layer.DiffId)
            {
                found.Add(Finding(contents, DiagnosticCodes.DiffIdMismatch, $"{layer.Description} in {contents.Description} uncompressed has sha256 {diffId}, but the config's diff id {layer.Index + 1} is {layer.DiffId}"));
            }
        }

        return found;
    }

    /// <summary>One pass over a layer blob: its digest and size, the digest of its tar (null when it cannot
    /// be decompressed to the end), and what made the hardened reader refuse it, if anything did.</summary>
    private static async Task<BlobFacts> ReadAsync(ArchivedLayer layer, ArchiveContents contents, CancellationToken cancellationToken)
    {
        var source = layer.Input;
        var memberFindings = new List<(DiagnosticCode, string)>();
        var checks = new LayerMemberChecks($"{layer.Description} in {contents.Description}", (code, message) => memberFindings.Add((code, message)));
        using var blob = new HashingReadStream(await layer.OpenBlobAsync(cancellationToken).ConfigureAwait(false));
        Digest? diffId = null;
        LayerBuildException? failure = null;
        HashingReadStream? tar = null;
        try
        {
            tar = new HashingReadStream(await LayerDecompression.OpenAsync(new BorrowedStream(blob), source, cancellationToken).ConfigureAwait(false));
            await using (var reader = TarInputReader.Open(source, new BorrowedStream(tar)))
            {
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (checks.Check(reader.NameOf(entry), entry.EntryType, entry.EntryType == TarEntryType.SymbolicLink ? reader.LinkNameOf(entry) : ""))
                    {
                        _ = LayerEntryReader.Describe(entry, reader);
                    }
                }
            }
        }
        catch (LayerBuildException e)
        {
            failure = e;
        }

        if (tar is not null)
        {
            try
            {
                diffId = await tar.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (TarInputFailures.IsInputFailure(e))
            {
                diffId = null; // the compressed stream is damaged: the tar has no digest, and the failure says why
                failure ??= TarInputFailures.FromDecompressor(e, source, entry: null);
            }

            await tar.DisposeAsync().ConfigureAwait(false);
        }

        var digest = await blob.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new BlobFacts(digest, blob.BytesRead, diffId, failure, memberFindings);
    }

    private static Diagnostic Finding(ArchiveContents contents, DiagnosticCode code, string message) =>
        new(code, Severity.Error, contents.Position, message);

    private sealed record BlobFacts(Digest Digest, long Size, Digest? DiffId, LayerBuildException? Failure, IReadOnlyList<(DiagnosticCode Code, string Message)> MemberFindings);
}
