namespace LayerBuilder.Reading;

/// <summary>One path whose entry differs between two images' final filesystems (<see cref="ImageComparison"/>).</summary>
/// <param name="Path">The path, as <see cref="FileSystemEntry.Path"/>.</param>
/// <param name="Change">Added, removed or changed.</param>
/// <param name="Aspects">For a changed path, what differs; <see cref="PathAspects.None"/> otherwise.</param>
/// <param name="Left">The entry in the first image; null when the path was added.</param>
/// <param name="Right">The entry in the second image; null when the path was removed.</param>
public sealed record PathChange(string Path, PathChangeKind Change, PathAspects Aspects, FileSystemEntry? Left, FileSystemEntry? Right);
