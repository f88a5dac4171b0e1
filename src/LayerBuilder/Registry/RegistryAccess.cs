namespace LayerBuilder.Registry;

/// <summary>What a client may do in its repository: the actions of the token scope it asks for
/// (distribution's token scope <c>repository:NAME:pull</c> or <c>repository:NAME:pull,push</c>).</summary>
internal enum RegistryAccess
{
    Pull,
    PullPush,
}

internal static class RegistryAccessNames
{
    /// <summary>The actions as a token scope writes them.</summary>
    public static string Actions(this RegistryAccess access) => access == RegistryAccess.PullPush ? "pull,push" : "pull";
}
