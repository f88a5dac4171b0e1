using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// Something a front end knows the finished image needs (the publish route's guard rails,
/// docs/msbuild.md): checked against the merged view of every layer once the plan is complete, before a
/// byte is written; when it does not hold, its diagnostic is reported as a warning or an error.
/// </summary>
internal abstract record ImageRequirement(Severity Severity, DiagnosticCode Code, SourcePosition Position, string Message)
{
    public abstract bool Holds(LowerLayerIndex image);

    public Diagnostic Diagnostic => new(Code, Severity, Position, Message);
}

/// <summary>Holds when one of <paramref name="Folders"/> (symlinks followed) has an entry whose name
/// starts with <paramref name="Prefix"/>: a runtime version folder, a shared library.</summary>
internal sealed record ChildNameRequirement(IReadOnlyList<string> Folders, string Prefix, Severity Severity, DiagnosticCode Code, SourcePosition Position, string Message)
    : ImageRequirement(Severity, Code, Position, Message)
{
    public override bool Holds(LowerLayerIndex image) =>
        Folders.Any(folder => image.ChildNames(image.ResolveAll(ImagePath.Parse(folder)).Path).Any(name => name.StartsWith(Prefix, StringComparison.Ordinal)));
}

/// <summary>Holds when the image's <c>/etc/passwd</c> has an account with uid <paramref name="Uid"/>.</summary>
internal sealed record AccountRequirement(int Uid, Severity Severity, DiagnosticCode Code, SourcePosition Position, string Message)
    : ImageRequirement(Severity, Code, Position, Message)
{
    public override bool Holds(LowerLayerIndex image) => AccountFile.Read(image, "/etc/passwd", out _).ById(Uid) is not null;
}
