using LayerBuilder.Image;

namespace LayerBuilder.Push;

/// <summary>The image config as a blob to push: small bytes in memory, pushed like any layer.</summary>
internal sealed class ConfigBlob(Descriptor descriptor, byte[] bytes) : ILayer
{
    public Digest Digest => descriptor.Digest;

    public Digest DiffId => descriptor.Digest;

    public long Size => bytes.Length;

    public string MediaType => descriptor.MediaType;

    public Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
}
