namespace LayerBuilder.Push;

/// <summary>What became of a blob of a push.</summary>
internal enum BlobPushState
{
    /// <summary>Every byte was sent and the registry took the blob.</summary>
    Uploaded,

    /// <summary>The registry had the blob already; nothing was sent.</summary>
    Existed,

    /// <summary>The registry linked the blob from another repository of its own; nothing was sent.</summary>
    Mounted,
}

/// <summary>The <see cref="Layers.TransferProgress.Action"/> words of a push: bytes on their way and a
/// blob sent are <c>push</c>; a blob not sent is <c>exists</c> or <c>mounted</c>.</summary>
internal static class PushActions
{
    public const string Push = "push";
    public const string Exists = "exists";
    public const string Mounted = "mounted";

    public static string Of(BlobPushState state) => state switch
    {
        BlobPushState.Existed => Exists,
        BlobPushState.Mounted => Mounted,
        _ => Push,
    };
}
