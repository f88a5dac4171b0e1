namespace LayerBuilder.FileSystem;

/// <summary>
/// <see cref="HostFileInfo"/> as a value, packed: what a walk keeps per host file without an object per
/// file (a million-file copy holds a million of these until its layer is written; docs/performance.md).
/// </summary>
internal readonly struct HostStat
{
    private readonly long size;
    private readonly ulong device;
    private readonly ulong inode;
    private readonly long modified;
    private readonly long changed;
    private readonly int uid;
    private readonly int gid;
    private readonly uint linkCount;
    private readonly int deviceMajor;
    private readonly int deviceMinor;
    private readonly ushort mode;
    private readonly byte kind;
    private readonly bool isSocket;

    /// <summary>A stat as statx(2) reported it (<see cref="LinuxStatx"/>), without a record in between.</summary>
    public HostStat(EntryKind kind, int mode, int uid, int gid, long size, uint linkCount, ulong device, ulong inode, int deviceMajor, int deviceMinor, bool isSocket, long modifiedNanoseconds, long changedNanoseconds)
    {
        this.size = size;
        this.device = device;
        this.inode = inode;
        modified = modifiedNanoseconds;
        changed = changedNanoseconds;
        this.uid = uid;
        this.gid = gid;
        this.linkCount = linkCount;
        this.deviceMajor = deviceMajor;
        this.deviceMinor = deviceMinor;
        this.mode = (ushort)mode;
        this.kind = (byte)kind;
        this.isSocket = isSocket;
    }

    public HostStat(HostFileInfo info)
    {
        size = info.Size;
        device = info.Device;
        inode = info.Inode;
        modified = info.ModifiedNanoseconds;
        changed = info.ChangedNanoseconds;
        uid = info.Uid;
        gid = info.Gid;
        linkCount = info.LinkCount;
        deviceMajor = info.DeviceMajor;
        deviceMinor = info.DeviceMinor;
        mode = (ushort)info.Mode;
        kind = (byte)info.Kind;
        isSocket = info.IsSocket;
    }

    public EntryKind Kind => (EntryKind)kind;

    public int Mode => mode;

    public long Size => size;

    public uint LinkCount => linkCount;

    public ulong Device => device;

    public ulong Inode => inode;

    public bool IsSocket => isSocket;

    public long ModifiedNanoseconds => modified;

    public long ChangedNanoseconds => changed;

    /// <summary>The record again, field for field, for the moment an entry is handed out.</summary>
    public HostFileInfo ToInfo() =>
        new(Kind, mode, uid, gid, size, linkCount, device, inode, deviceMajor, deviceMinor, isSocket)
        {
            ModifiedNanoseconds = modified,
            ChangedNanoseconds = changed,
        };
}
