using LayerBuilder.Fuzz;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fuzzing;

/// <summary>
/// Every seed of the fuzz corpora and every input a fuzzing campaign ever crashed on (fuzz/regressions)
/// runs through the same harness the fuzzer uses, un-instrumented: each must end normally or with an LB
/// diagnostic. A finding stays fixed because its bytes are replayed on every test run.
/// </summary>
public sealed class FuzzInputsTests
{
    private static readonly string Fuzz = Path.Combine(RepositoryRoot.Path, "fuzz");

    private static IEnumerable<TestCaseData> Inputs() =>
        from target in FuzzTargets.All
        from folder in new[] { "corpus", "regressions" }
        let directory = Path.Combine(Fuzz, folder, target.Name)
        where Directory.Exists(directory)
        from file in Directory.GetFiles(directory).Order(StringComparer.Ordinal)
        select new TestCaseData(target.Name, file).SetName($"Fuzz {folder} {target.Name}: {Path.GetFileName(file)}");

    [Test]
    public void Every_target_has_seeds_and_the_regressions_are_all_there()
    {
        var cases = Inputs().ToList();
        Assert.Multiple(() =>
        {
            foreach (var target in FuzzTargets.All)
            {
                Assert.That(Directory.GetFiles(Path.Combine(Fuzz, "corpus", target.Name)), Has.Length.GreaterThanOrEqualTo(2), $"seeds of {target.Name}");
            }

            // The findings of the campaigns so far (68 inputs); a lower count means cases went missing.
            Assert.That(cases.Count(c => c.Arguments[1] is string f && f.Contains($"{Path.DirectorySeparatorChar}regressions{Path.DirectorySeparatorChar}", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(68));
        });
    }

    [TestCaseSource(nameof(Inputs))]
    public void Input_ends_normally_or_with_a_diagnostic(string target, string file)
    {
        var scratch = Directory.CreateTempSubdirectory("lb-fuzz-replay-").FullName;
        try
        {
            Assert.DoesNotThrow(() => FuzzTargets.RunOne(FuzzTargets.Find(target)!, File.ReadAllBytes(file), scratch));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
