namespace LayerBuilder.Tests.Support;

/// <summary>
/// One header block exactly as it is stored (a PAX 'x' header is a header of its own here, with its
/// records parsed), for checks a tar library would hide: header names, uname/gname, PAX record keys.
/// </summary>
public sealed record RawTarHeader(
    long Offset,
    string Name,
    char TypeFlag,
    long Size,
    string UserName,
    string GroupName,
    IReadOnlyList<KeyValuePair<string, string>> PaxRecords);
