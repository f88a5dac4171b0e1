namespace LayerBuilder.Tests.Support;

/// <summary>One tar member as an independent reader (SharpZipLib) sees it.</summary>
public sealed record TarMember(
    string Name,
    char TypeFlag,
    int Mode,
    int Uid,
    int Gid,
    string UserName,
    string GroupName,
    string LinkName,
    long ModifiedSeconds,
    long Size,
    byte[] Content)
{
    public bool IsDirectory => TypeFlag == '5';

    public bool IsRegularFile => TypeFlag is '0' or '\0';

    public bool IsHardLink => TypeFlag == '1';

    public bool IsSymlink => TypeFlag == '2';

    public string Text => System.Text.Encoding.UTF8.GetString(Content);

    public override string ToString() => $"{Name} ({TypeFlag}, {Convert.ToString(Mode, 8)}, {Uid}:{Gid})";
}
