using System.Reflection;
using LayerBuilder.Build;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// The library's public surface is deliberate: the build fails when a public symbol is not in
/// src/LayerBuilder/PublicAPI.*.txt (the public API analyzer), and these tests check the compiled
/// assembly against the same files, so a type cannot become public without the baseline saying so.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly Assembly Library = typeof(ImageBuilder).Assembly;

    [Test]
    public void Every_public_type_is_in_the_baseline_and_every_baseline_type_is_public()
    {
        var declared = BaselineLines()
            // A type is a line that is only a name: members have a signature, enum values a " = ".
            .Where(line => !line.Contains(' ', StringComparison.Ordinal) && !line.Contains('(', StringComparison.Ordinal))
            .Select(line => line.Split('<')[0]) // Positioned<T> is declared with its type parameter
            .ToHashSet(StringComparer.Ordinal);
        var exported = Library.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.').Split('`')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.That(exported.Except(declared), Is.Empty, "public types missing from the baseline");
        Assert.That(declared.Except(exported), Is.Empty, "baseline types that are not public");
    }

    [TestCase("LayerBuilder.Text.Levenshtein")]
    [TestCase("LayerBuilder.Layers.FileCopy")]
    [TestCase("LayerBuilder.Layers.HashingStream")]
    [TestCase("LayerBuilder.Planning.StepPlanner")]
    [TestCase("LayerBuilder.Archive.ArchiveLayout")]
    [TestCase("LayerBuilder.Layers.LayerWriter")]
    [TestCase("LayerBuilder.FileSystem.LayerEntry")]
    [TestCase("LayerBuilder.TarInput.TarInputReader")]
    public void Machinery_is_internal(string typeName)
    {
        var type = Library.GetType(typeName);
        Assert.That(type, Is.Not.Null, "the type still exists under this name");
        Assert.That(type!.IsPublic, Is.False);
    }

    [Test]
    public void The_public_namespaces_are_the_ones_users_need()
    {
        var namespaces = Library.GetExportedTypes().Select(t => t.Namespace).Distinct().Order(StringComparer.Ordinal);

        Assert.That(namespaces, Is.EqualTo(new[]
        {
            "LayerBuilder.Archive", "LayerBuilder.Build", "LayerBuilder.Cache", "LayerBuilder.Conversion", "LayerBuilder.Diagnostics", "LayerBuilder.Engine", "LayerBuilder.FileSystem",
            "LayerBuilder.Image", "LayerBuilder.Layers", "LayerBuilder.Reading", "LayerBuilder.Recipe",
        }));
    }

    private static IEnumerable<string> BaselineLines() =>
        new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(file => File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "src", "LayerBuilder", file)))
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
}
