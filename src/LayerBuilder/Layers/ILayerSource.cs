namespace LayerBuilder.Layers;

/// <summary>
/// Makes the layers a build plans: writes them (<see cref="LayerWriting"/>), or takes them from where
/// they already are (the cache decorates the writer). Works are handed over bottom to top.
/// </summary>
internal interface ILayerSource
{
    /// <summary>The layer of <paramref name="work"/>; written into <paramref name="slot"/> of the archive
    /// when one is given, and a <see cref="PlacedLayer"/> then unless the bytes came from elsewhere.</summary>
    Task<LayerBlob> ObtainAsync(LayerWork work, ArchiveSlot? slot, CancellationToken cancellationToken);
}
