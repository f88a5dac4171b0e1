namespace LayerBuilder.FileSystem;

/// <summary>
/// A normalized absolute POSIX path inside the image (<c>/usr/lib/x</c>; the root is <c>/</c>).
/// Normalization removes <c>.</c>, empty components and resolves <c>..</c>; climbing above the root is
/// refused rather than clamped, so a recipe can never mean a write outside the image.
/// </summary>
public readonly record struct ImagePath
{
    private ImagePath(string value) => Value = value;

    public static ImagePath Root { get; } = new("/");

    /// <summary>Always starts with '/', never ends with '/' (except the root).</summary>
    public string Value { get; }

    public bool IsRoot => Value == "/";

    public string Name => IsRoot ? "" : Value[(Value.LastIndexOf('/') + 1)..];

    public ImagePath Parent
    {
        get
        {
            if (IsRoot)
            {
                return this;
            }

            var i = Value.LastIndexOf('/');
            return i == 0 ? Root : new ImagePath(Value[..i]);
        }
    }

    /// <summary>The tar member name: relative, no leading '/' (the root has none).</summary>
    public string TarName => IsRoot ? "" : Value[1..];

    public static bool TryParse(string text, out ImagePath path, out string problem)
    {
        path = Root;
        problem = "";
        if (!text.StartsWith('/'))
        {
            problem = $"'{text}' is not absolute: image paths start with '/'";
            return false;
        }

        if (text.Contains('\0'))
        {
            problem = "image paths cannot contain NUL characters";
            return false;
        }

        if (!TryNormalize(text, out path))
        {
            problem = $"'{text}' climbs above '/'";
            return false;
        }

        return true;
    }

    public static ImagePath Parse(string text) =>
        TryParse(text, out var p, out var problem) ? p : throw new FormatException(problem);

    /// <summary>Resolves a path relative to the root, refusing any '..' that would leave it.</summary>
    public static bool TryNormalize(string text, out ImagePath path)
    {
        var parts = new List<string>();
        foreach (var part in text.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    path = Root;
                    return false;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        path = parts.Count == 0 ? Root : new ImagePath("/" + string.Join('/', parts));
        return true;
    }

    /// <summary>Appends a relative path (which may contain '/', but no '..' above this path).</summary>
    public ImagePath Combine(string relative)
    {
        if (IsPlainRelative(relative))
        {
            // The common case (names from a folder walk): nothing to normalize.
            return new ImagePath(IsRoot ? "/" + relative : Value + "/" + relative);
        }

        if (!TryNormalize(Value + "/" + relative, out var combined) || !combined.IsSameOrUnder(this))
        {
            throw new ArgumentException($"'{relative}' leaves '{Value}'", nameof(relative));
        }

        return combined;
    }

    /// <summary><see cref="Combine(string)"/> for a relative path that is not a string of its own (a part of a host path).</summary>
    public ImagePath Combine(ReadOnlySpan<char> relative) =>
        IsPlainRelative(relative)
            ? new ImagePath(IsRoot ? string.Concat("/", relative) : string.Concat(Value, "/", relative))
            : Combine(relative.ToString());

    /// <summary>Non-empty, no leading or trailing '/', no empty, "." or ".." component, no NUL.</summary>
    private static bool IsPlainRelative(ReadOnlySpan<char> relative)
    {
        if (relative.Length == 0 || relative[0] == '/' || relative[^1] == '/' || relative.Contains('\0'))
        {
            return false;
        }

        var start = 0;
        while (start <= relative.Length)
        {
            var slash = relative[start..].IndexOf('/');
            var end = slash < 0 ? relative.Length : start + slash;

            var length = end - start;
            if (length == 0 || (length == 1 && relative[start] == '.') || (length == 2 && relative[start] == '.' && relative[start + 1] == '.'))
            {
                return false;
            }

            start = end + 1;
        }

        return true;
    }

    public bool IsSameOrUnder(ImagePath ancestor) =>
        ancestor.IsRoot || Value == ancestor.Value ||
        (Value.StartsWith(ancestor.Value, StringComparison.Ordinal) && Value[ancestor.Value.Length] == '/');

    /// <summary>The folders from the root's first child down to the parent of this path.</summary>
    public IEnumerable<ImagePath> Ancestors()
    {
        for (var i = Value.IndexOf('/', 1); i > 0; i = Value.IndexOf('/', i + 1))
        {
            yield return new ImagePath(Value[..i]);
        }
    }

    public string[] Components() => IsRoot ? [] : Value[1..].Split('/');

    public override string ToString() => Value;
}
