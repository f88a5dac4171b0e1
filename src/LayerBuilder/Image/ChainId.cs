namespace LayerBuilder.Image;

/// <summary>
/// Layer ChainIDs (image-spec config.md "Layer ChainID"): ChainID(L0) = DiffID(L0),
/// ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)). Docker keys its layer store by them.
/// </summary>
internal static class ChainId
{
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        var chain = new Digest[diffIds.Count];
        for (var i = 0; i < diffIds.Count; i++)
        {
            chain[i] = i == 0 ? diffIds[0] : Digest.Of($"{chain[i - 1]} {diffIds[i]}");
        }

        return chain;
    }
}
