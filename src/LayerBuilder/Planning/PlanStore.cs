using System.Collections;
using System.Numerics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// A step's entries while they are planned and until its layer is written, packed: one small struct per
/// entry, the folder above it by number (each folder path stored once), and for what a copy walked the
/// name and stat left where the walk put them (<see cref="FolderListing"/>). Entries the recipe names
/// one by one (files, links, extracts, whiteouts) are kept as they are. A path written twice is found
/// through a hash table of entry numbers. Readers get the entries as <see cref="LayerEntry"/> values made
/// on each access and dropped after use, so a million-file plan is about 120 bytes an entry instead of
/// objects of a kilobyte (docs/performance.md, docs/decisions.md D29).
/// </summary>
internal sealed class PlanStore : IReadOnlyList<LayerEntry>, IWalkedEntries
{
    /// <summary>What <see cref="Find(int, ReadOnlySpan{char}, int)"/> answers when nothing has the path.</summary>
    public const int None = -1;

    private const int KeptWhole = -1; // Row.Listing of an entry kept as a LayerEntry
    private const int FirstCapacity = 16;

    /// <summary>What <see cref="folderMembers"/> holds for an image folder with no entry in it yet.</summary>
    private const int NoMembers = -1;

    /// <summary>What <see cref="folderMembers"/> holds for an image folder whose entries did not all come
    /// from one walked listing.</summary>
    private const int MixedMembers = -2;

    private readonly List<ImagePath> folders = [ImagePath.Root];

    /// <summary>Per image folder: <see cref="NoMembers"/>, the one walked listing every entry in it came
    /// from, or <see cref="MixedMembers"/>. A folder filled by one listing alone cannot hold a path twice
    /// (a host folder's names are distinct), so its members are added without a lookup (D77).</summary>
    private readonly List<int> folderMembers = [NoMembers];
    private readonly Dictionary<string, int> folderIds = new(StringComparer.Ordinal) { ["/"] = 0 };
    private readonly List<FolderListing> listings = [];
    private readonly List<LayerEntry> whole = [];
    private readonly List<PlanSource> sources = [];
    private readonly long modifiedTime;

    /// <summary>A walked member's own xattrs (a copy with <c>preserveXattrs</c>), by listing and member:
    /// a side table, so the row of an ordinary file stays as it is.</summary>
    private Dictionary<(int Listing, int Member), IReadOnlyDictionary<string, byte[]>>? hostXattrs;
    private Row[] rows = new Row[FirstCapacity];
    private int[]? buckets = new int[FirstCapacity]; // row number + 1; 0 is an empty bucket
    private int count;

    /// <summary>Rows below this number are in <see cref="buckets"/>; the rest are put there, in order,
    /// before the next lookup or hashed append (a walked folder's members are added unhashed).</summary>
    private int hashed;

    /// <param name="modifiedTime">The mtime of every walked entry (the step's).</param>
    public PlanStore(long modifiedTime) => this.modifiedTime = modifiedTime;

    public int Count => count;

    public LayerEntry this[int index] =>
        (uint)index < (uint)count ? Entry(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<LayerEntry> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return Entry(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool TryWalkedFile(int index, out FolderListing listing, out int member)
    {
        ref readonly var row = ref rows[index];
        if (row.Listing == KeptWhole || (EntryKind)row.Kind != EntryKind.File)
        {
            listing = null!;
            member = 0;
            return false;
        }

        listing = listings[row.Listing];
        member = row.Item;
        return true;
    }

    /// <summary>Registers the origin of entries to come; entries refer to it by the number returned.</summary>
    public int AddSource(PlanSource source)
    {
        sources.Add(source);
        return sources.Count - 1;
    }

    /// <summary>Registers one walked folder; walked entries refer to it by the number returned.</summary>
    public int AddListing(FolderListing listing)
    {
        listings.Add(listing);
        return listings.Count - 1;
    }

    /// <summary>The number of an image folder, which entries below it share.</summary>
    public int FolderId(ImagePath folder)
    {
        if (!folderIds.TryGetValue(folder.Value, out var id))
        {
            id = folders.Count;
            folders.Add(folder);
            folderMembers.Add(NoMembers);
            folderIds.Add(folder.Value, id);
        }

        return id;
    }

    /// <summary>Every image folder that holds an entry of the plan (and the root).</summary>
    public IReadOnlyList<ImagePath> Folders => folders;

    /// <summary>The entries kept whole (not walked host files): every copy-up of lower content is one, so
    /// a look for those need not make an entry of every walked file.</summary>
    public IReadOnlyList<LayerEntry> KeptWholeEntries => whole;

    /// <summary>Records the extended attributes a walked member has on the host.</summary>
    public void SetHostXattrs(int listing, int member, IReadOnlyDictionary<string, byte[]> xattrs) =>
        (hostXattrs ??= [])[(listing, member)] = xattrs;

    /// <summary>Makes room for <paramref name="more"/> entries at once.</summary>
    public void Reserve(int more)
    {
        var needed = count + more;
        if (needed > rows.Length)
        {
            Array.Resize(ref rows, needed);
        }

        if (buckets is not null && needed > buckets.Length)
        {
            Rehash((int)BitOperations.RoundUpToPowerOf2((uint)needed));
        }
    }

    /// <summary>Adds an entry kept whole; or, when the plan has its path already, returns that entry's number.</summary>
    public int Add(LayerEntry entry, int source, bool isExplicit)
    {
        var folder = FolderId(entry.Path.Parent);
        var name = NameOf(entry.Path);
        var hash = Hash(folder, name);
        var existing = Find(folder, name, hash);
        if (existing != None)
        {
            return existing;
        }

        Append(new Row { Folder = folder, Listing = KeptWhole, Item = whole.Count, Source = source, Mode = entry.Mode, Kind = (byte)entry.Kind, Explicit = isExplicit }, hash);
        folderMembers[folder] = MixedMembers;
        whole.Add(entry);
        return None;
    }

    /// <summary>Adds an entry kept whole even when the plan has its path: a folder's opaque marker has the
    /// folder's path.</summary>
    public void AddMarker(LayerEntry entry, int source)
    {
        var folder = FolderId(entry.Path.Parent);
        Append(new Row { Folder = folder, Listing = KeptWhole, Item = whole.Count, Source = source, Mode = entry.Mode, Kind = (byte)entry.Kind }, Hash(folder, NameOf(entry.Path)));
        folderMembers[folder] = MixedMembers;
        whole.Add(entry);
    }

    /// <summary>Adds member <paramref name="member"/> of a walked folder as a file or folder in image folder
    /// <paramref name="folder"/>; or, when the plan has its path already, returns that entry's number.</summary>
    public int AddWalked(int folder, int listing, int member, EntryKind kind, int mode, int source)
    {
        var row = new Row { Folder = folder, Listing = listing, Item = member, Source = source, Mode = mode, Kind = (byte)kind };
        var members = folderMembers[folder];
        if (members == NoMembers || members == listing || (members >= 0 && ReferenceEquals(listings[members], listings[listing])))
        {
            // Only this host folder's members are in the image folder, and its names are distinct: nothing
            // has this path yet. The lookup was half of a million-file plan's time (docs/performance.md).
            // A folder's listing comes back under a new number after each subfolder's members.
            folderMembers[folder] = listing;
            AppendUnhashed(row);
            return None;
        }

        var name = listings[listing].Name(member);
        var hash = Hash(folder, name);
        var existing = Find(folder, name, hash);
        if (existing != None)
        {
            return existing;
        }

        Append(row, hash);
        folderMembers[folder] = MixedMembers;
        return None;
    }

    /// <summary>Puts <paramref name="entry"/> (same path) in place of entry <paramref name="row"/>.</summary>
    public void Replace(int row, LayerEntry entry, int source, bool isExplicit)
    {
        ref var r = ref rows[row];
        r.Listing = KeptWhole;
        r.Item = whole.Count;
        r.Source = source;
        r.Mode = entry.Mode;
        r.Kind = (byte)entry.Kind;
        r.Explicit = isExplicit;
        whole.Add(entry);
    }

    /// <summary>Puts a walked member (same path) in place of entry <paramref name="row"/>.</summary>
    public void ReplaceWalked(int row, int listing, int member, EntryKind kind, int mode, int source)
    {
        ref var r = ref rows[row];
        r.Listing = listing;
        r.Item = member;
        r.Source = source;
        r.Mode = mode;
        r.Kind = (byte)kind;
        r.Explicit = false;
    }

    /// <summary>The number of the entry at <paramref name="path"/>, or <see cref="None"/>.</summary>
    public int Find(ImagePath path)
    {
        if (path.IsRoot || buckets is null)
        {
            return None;
        }

        var value = path.Value;
        var slash = value.LastIndexOf('/');
        var parent = slash == 0 ? "/".AsSpan() : value.AsSpan(0, slash);
        if (!folderIds.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(parent, out var folder))
        {
            return None;
        }

        var name = value.AsSpan(slash + 1);
        return Find(folder, name, Hash(folder, name));
    }

    public EntryKind KindOf(int row) => (EntryKind)rows[row].Kind;

    public int ModeOf(int row) => rows[row].Mode;

    public bool IsExplicit(int row) => rows[row].Explicit;

    public Owner OwnerOf(int row) => rows[row].Listing == KeptWhole ? whole[rows[row].Item].Owner : sources[rows[row].Source].Owner;

    public PlanSource SourceOf(int row) => sources[rows[row].Source];

    public int SourceIdOf(int row) => rows[row].Source;

    /// <summary>The source registered as number <paramref name="id"/>.</summary>
    public PlanSource Source(int id) => sources[id];

    public ImagePath PathOf(int row) => rows[row].Listing == KeptWhole ? whole[rows[row].Item].Path : folders[rows[row].Folder].Combine(Name(rows[row]));

    /// <summary>Where entry <paramref name="row"/> came from, in words, for an error.</summary>
    public string Describe(int row) => SourceOf(row).Describe(PathOf(row));

    /// <summary>Puts the entries in layer order (<see cref="EntryOrder"/>). Lookups by path end here: the
    /// hash table goes, the plan is complete.</summary>
    public void Sort()
    {
        buckets = null;
        if (!AllPlain())
        {
            // A whiteout or a ".wh." name somewhere (rare): one key per entry, as EntryOrder sorts.
            var keys = new string[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = EntryOrder.Key(Entry(i));
            }

            Array.Sort(keys, rows, 0, count, StringComparer.Ordinal);
            return;
        }

        var order = new RowOrder(this);
        var sorted = 1;
        while (sorted < count && order.Compare(rows[sorted - 1], rows[sorted]) <= 0)
        {
            sorted++;
        }

        if (sorted >= count)
        {
            return; // a walked folder comes in order; whatever was planned before it usually too
        }

        // The entries after the ordered start (parents and links added at the end, say) are sorted on
        // their own and merged in from the back.
        var tail = rows[sorted..count];
        Array.Sort(tail, order);
        int a = sorted - 1, b = tail.Length - 1;
        for (var to = count - 1; b >= 0; to--)
        {
            rows[to] = a >= 0 && order.Compare(rows[a], tail[b]) > 0 ? rows[a--] : tail[b--];
        }
    }

    private static ReadOnlySpan<char> NameOf(ImagePath path) => path.Value.AsSpan(path.Value.LastIndexOf('/') + 1);

    private static int Hash(int folder, ReadOnlySpan<char> name) => HashCode.Combine(folder, string.GetHashCode(name, StringComparison.Ordinal));

    private ReadOnlySpan<char> Name(in Row row) =>
        row.Listing == KeptWhole ? NameOf(whole[row.Item].Path) : listings[row.Listing].Name(row.Item);

    private int Find(int folder, ReadOnlySpan<char> name, int hash)
    {
        HashPending();
        for (var i = buckets![hash & (buckets.Length - 1)] - 1; i >= 0; i = rows[i].Next - 1)
        {
            if (rows[i].Folder == folder && Name(rows[i]).SequenceEqual(name))
            {
                return i;
            }
        }

        return None;
    }

    private void Append(Row row, int hash)
    {
        HashPending();
        if (count == rows.Length)
        {
            Array.Resize(ref rows, rows.Length * 2);
        }

        if (count == buckets!.Length)
        {
            Rehash(buckets.Length * 2);
        }

        var bucket = hash & (buckets.Length - 1);
        row.Next = buckets[bucket];
        rows[count] = row;
        buckets[bucket] = ++count;
        hashed = count;
    }

    /// <summary>Appends a row that no lookup needs before the next <see cref="HashPending"/>.</summary>
    private void AppendUnhashed(Row row)
    {
        if (count == rows.Length)
        {
            Array.Resize(ref rows, rows.Length * 2);
        }

        rows[count++] = row;
    }

    /// <summary>Puts the rows appended unhashed into the table, in order, as <see cref="Append"/> would have.</summary>
    private void HashPending()
    {
        if (hashed == count || buckets is null)
        {
            return;
        }

        if (count > buckets.Length)
        {
            Rehash((int)BitOperations.RoundUpToPowerOf2((uint)count));
            return;
        }

        for (var i = hashed; i < count; i++)
        {
            Insert(i, buckets);
        }

        hashed = count;
    }

    private void Rehash(int size)
    {
        buckets = new int[size];
        for (var i = 0; i < count; i++)
        {
            Insert(i, buckets);
        }

        hashed = count;
    }

    private void Insert(int row, int[] table)
    {
        var bucket = Hash(rows[row].Folder, Name(rows[row])) & (table.Length - 1);
        rows[row].Next = table[bucket];
        table[bucket] = row + 1;
    }

    private LayerEntry Entry(int index)
    {
        ref readonly var row = ref rows[index];
        if (row.Listing == KeptWhole)
        {
            return whole[row.Item];
        }

        var listing = listings[row.Listing];
        var kind = (EntryKind)row.Kind;
        var source = sources[row.Source];
        // One object per entry: the content is made first, not added by a copy of the entry.
        ContentSource? content = null;
        if (kind == EntryKind.File)
        {
            ref readonly var stat = ref listing.Stat(row.Item);
            content = new HostFileContent(listing.MemberPath(row.Item), stat.Size) { Info = stat.ToInfo() };
        }

        return new LayerEntry
        {
            Path = folders[row.Folder].Combine(listing.Name(row.Item)),
            Kind = kind,
            Mode = row.Mode,
            Owner = source.Owner,
            ModifiedTime = source.ModifiedTime?.Seconds ?? modifiedTime,
            ModifiedFraction = source.ModifiedTime?.Fraction ?? 0,
            Xattrs = hostXattrs is null ? source.Xattrs : Xattrs(source, row.Listing, row.Item),
            Content = content,
        };
    }

    /// <summary>The host's xattrs of a walked member with the recipe's over them.</summary>
    private IReadOnlyDictionary<string, byte[]>? Xattrs(PlanSource source, int listing, int member)
    {
        if (!hostXattrs!.TryGetValue((listing, member), out var host))
        {
            return source.Xattrs;
        }

        if (source.Xattrs is null)
        {
            return host;
        }

        var merged = new SortedDictionary<string, byte[]>(host.ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, value) in source.Xattrs)
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>Whether <see cref="PlainPathOrder"/> gives the entry order: no whiteouts, no ".wh." names, no NUL.</summary>
    private bool AllPlain()
    {
        foreach (var folder in folders)
        {
            if (folder.Value.Contains('\0') || folder.Value.Contains("/.wh.", StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < count; i++)
        {
            var name = Name(rows[i]);
            if ((EntryKind)rows[i].Kind is EntryKind.Whiteout or EntryKind.OpaqueWhiteout || name.StartsWith(".wh.") || name.Contains('\0'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One entry: 28 bytes. A walked one's name and stat stay in its <see cref="FolderListing"/>.</summary>
    private struct Row
    {
        public int Folder;

        /// <summary>The walked folder the entry is a member of, or <see cref="KeptWhole"/>.</summary>
        public int Listing;

        /// <summary>The member number in the listing, or the index of the whole entry.</summary>
        public int Item;

        public int Source;

        public int Mode;

        /// <summary>The next entry in the same hash bucket, plus one.</summary>
        public int Next;

        public byte Kind;

        public bool Explicit;
    }

    /// <summary>
    /// <see cref="PlainPathOrder"/> on rows, without making their paths: in one folder by name; across
    /// folders by the folders' own order, unless one folder holds the other, when the name is compared
    /// with the first component below it.
    /// </summary>
    private sealed class RowOrder : IComparer<Row>
    {
        private readonly PlanStore plan;
        private readonly int[] rank;

        public RowOrder(PlanStore plan)
        {
            this.plan = plan;
            var ids = Enumerable.Range(0, plan.folders.Count).ToArray();
            Array.Sort(ids, (x, y) => PlainPathOrder.Compare(plan.folders[x].Value, plan.folders[y].Value));
            rank = new int[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                rank[ids[i]] = i;
            }
        }

        public int Compare(Row x, Row y)
        {
            var a = plan.Name(x);
            var b = plan.Name(y);
            if (x.Folder == y.Folder)
            {
                return a.SequenceCompareTo(b);
            }

            var fx = plan.folders[x.Folder].Value;
            var fy = plan.folders[y.Folder].Value;
            if (Below(fy, fx) is { Length: > 0 } firstUnderX)
            {
                var c = a.SequenceCompareTo(firstUnderX);
                return c == 0 ? -1 : c; // x is the folder y is in, or above it
            }

            if (Below(fx, fy) is { Length: > 0 } firstUnderY)
            {
                var c = firstUnderY.SequenceCompareTo(b);
                return c == 0 ? 1 : c;
            }

            return rank[x.Folder] - rank[y.Folder];
        }

        /// <summary>The first component of <paramref name="path"/> below <paramref name="folder"/>, or empty
        /// when the path is not below it.</summary>
        private static ReadOnlySpan<char> Below(string path, string folder)
        {
            int start;
            if (folder == "/")
            {
                start = 1;
            }
            else if (path.Length > folder.Length && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal))
            {
                start = folder.Length + 1;
            }
            else
            {
                return default;
            }

            var rest = path.AsSpan(start);
            var slash = rest.IndexOf('/');
            return slash < 0 ? rest : rest[..slash];
        }
    }
}
