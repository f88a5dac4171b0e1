using System.Globalization;

namespace LayerBuilder.Recipe;

/// <summary>
/// The owner of an entry (or the config's user) as a recipe built in code gives it: numeric ids, or
/// user and group names looked up in the image's /etc/passwd and /etc/group (docs/recipe.md, "Owners by
/// name"). A string converts implicitly, in the recipe's own spelling: <c>"1000:1000"</c>, <c>"app"</c>,
/// <c>"app:app"</c>. The value is checked when the recipe is built, as a YAML one is (LB1021, LB1031).
/// </summary>
public readonly record struct EntryOwner
{
    private EntryOwner(string text) => Text = text;

    /// <summary>The owner in the recipe's spelling: <c>uid[:gid]</c> or <c>user[:group]</c>.</summary>
    public string Text { get; }

    /// <summary>Numeric ids; no lookup in the image is needed.</summary>
    public static EntryOwner Ids(int uid, int gid) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{uid}:{gid}"));

    /// <summary>Names from the image; a user alone takes that user's primary group.</summary>
    public static EntryOwner Names(string user, string? group = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (group is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(group);
        }

        return new(group is null ? user : $"{user}:{group}");
    }

    /// <summary>An owner in the recipe's spelling (<c>"1000:1000"</c>, <c>"app:app"</c>, <c>"app"</c>).</summary>
    public static EntryOwner Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new(text);
    }

    public static implicit operator EntryOwner(string text) => Parse(text);

    public override string ToString() => Text ?? "";
}
