namespace LayerBuilder.FileSystem;

/// <summary>Where a regular file's bytes come from. Content is opened only while the layer is written,
/// one file at a time, so no layer is ever held in memory.</summary>
internal abstract record ContentSource(long Length)
{
    public abstract Stream Open();
}

/// <summary>A file on the build host. Its length was recorded when the plan was made; a change is an error.</summary>
internal sealed record HostFileContent(string HostPath, long Length) : ContentSource(Length)
{
    /// <summary>The file's identity as seen when the plan was made (the cache key uses it; no second stat).</summary>
    public HostFileInfo? Info { get; init; }

    /// <summary>A file this build made (an extract's member, staged): it lives only as long as the build, so
    /// it has no identity a cache could key on.</summary>
    public bool PerBuild { get; init; }

    public override Stream Open() =>
        new FileStream(HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
}

/// <summary>Bytes written in the recipe itself (<c>files:</c>), small by nature.</summary>
internal sealed record InlineContent(ReadOnlyMemory<byte> Bytes) : ContentSource(Bytes.Length)
{
    public override Stream Open() => new MemoryStream(Bytes.ToArray(), writable: false);
}
