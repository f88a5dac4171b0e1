namespace LayerBuilder.FileSystem;

/// <summary>
/// An entry list that can say where a walked host file's name and stat are kept without making its
/// <see cref="LayerEntry"/>: the read-ahead of a million-file layer then opens each file by name in its
/// open folder and allocates nothing per file (docs/performance.md).
/// </summary>
internal interface IWalkedEntries
{
    /// <summary>Whether entry <paramref name="index"/> is a regular file a walk found, and where: member
    /// <paramref name="member"/> of <paramref name="listing"/>. False for every other entry.</summary>
    bool TryWalkedFile(int index, out FolderListing listing, out int member);
}
