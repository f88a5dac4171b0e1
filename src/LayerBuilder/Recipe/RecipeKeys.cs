namespace LayerBuilder.Recipe;

/// <summary>Every key the recipe language knows, per mapping (docs/recipe.md). The schema test
/// compares these lists with the JSON Schema, so the two cannot drift apart.</summary>
internal static class RecipeKeys
{
    public static readonly string[] Root = ["image", "tags", "platform", "platforms", "created", "base", "args", "defaults", "config", "steps", "checks", "faults"];
    public static readonly string[] Base = ["rootfs", "image", "layout", "ref"];
    public static readonly string[] Defaults = ["owner", "dirMode", "fileMode"];
    public static readonly string[] Config = ["env", "entrypoint", "cmd", "workdir", "user", "labels", "annotations", "ports", "volumes", "stopSignal", "healthcheck"];
    public static readonly string[] Healthcheck = ["test", "interval", "timeout", "startPeriod", "startInterval", "retries"];
    public static readonly string[] Step = ["name", "copy", "files", "dirs", "symlinks", "hardlinks", "extract", "remove", "nodes", "whiteouts", "opaque", "users"];
    public static readonly string[] User = ["name", "uid", "gid", "home", "shell", "groups"];
    public static readonly string[] Extract = ["src", "dest"];
    public static readonly string[] Copy = ["src", "dest", "include", "exclude", "mode", "dirMode", "owner", "preserveMode", "preserveXattrs", "xattrs", "mtime"];
    public static readonly string[] File = ["path", "content", "base64", "mode", "owner", "xattrs", "mtime"];
    public static readonly string[] Dir = ["path", "mode", "owner", "xattrs", "mtime"];
    public static readonly string[] Symlink = ["path", "target", "owner", "mtime"];
    public static readonly string[] Hardlink = ["path", "target", "mtime"];
    public static readonly string[] Node = ["path", "type", "major", "minor", "mode", "owner", "xattrs", "mtime"];
    public static readonly string[] Check = ["path", "exists", "type", "mode", "owner", "size", "sha256", "contains", "target", "config"];
    public static readonly string[] ConfigCheck = ["user", "entrypoint", "cmd", "workdir", "env", "labels"];
}
