using LayerBuilder.Image;

namespace LayerBuilder.Push;

/// <summary>What became of a blob of a push, for front ends that show progress.</summary>
public enum BlobPushState
{
    /// <summary>Bytes are on their way; <see cref="BlobProgress.Bytes"/> says how many have gone.</summary>
    Uploading,

    /// <summary>Every byte was sent and the registry took the blob.</summary>
    Uploaded,

    /// <summary>The registry had the blob already; nothing was sent.</summary>
    Existed,

    /// <summary>The registry linked the blob from another repository of its own; nothing was sent.</summary>
    Mounted,
}

/// <summary>How far the push of one blob (a layer or the config) has got.</summary>
/// <param name="Digest">The blob.</param>
/// <param name="Bytes">Bytes sent so far (the whole size once uploaded; 0 when existed or mounted).</param>
/// <param name="Size">The blob's size.</param>
/// <param name="State">Where the blob stands.</param>
/// <param name="Elapsed">Time since the blob's upload started, for a rate.</param>
public sealed record BlobProgress(Digest Digest, long Bytes, long Size, BlobPushState State, TimeSpan Elapsed)
{
    /// <summary>Whether nothing more will be reported for this blob.</summary>
    public bool Done => State != BlobPushState.Uploading;
}
