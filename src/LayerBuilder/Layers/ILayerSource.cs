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

    /// <summary><paramref name="layer"/> (what <see cref="ObtainAsync"/> gave for <paramref name="work"/>) as
    /// it may be put into an archive: a layer from a store that can rot is checked now, and made again if
    /// it did. Called before the first byte of the archive is written.</summary>
    Task<LayerBlob> CheckedAsync(LayerBlob layer, LayerWork work, CancellationToken cancellationToken);
}
