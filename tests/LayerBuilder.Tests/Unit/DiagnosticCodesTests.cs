using System.Reflection;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tests.Unit;

/// <summary>Diagnostic codes are stable identities users search for: one number, one id, one meaning.</summary>
public sealed class DiagnosticCodesTests
{
    [Test]
    public void All_lists_every_code_declared_in_the_table()
    {
        var declared = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .ToList();

        Assert.That(declared, Is.Not.Empty);
        Assert.That(DiagnosticCodes.All, Has.Count.EqualTo(declared.Count));
    }

    [Test]
    public void Numbers_are_unique() =>
        Assert.That(DiagnosticCodes.All.Select(c => c.Number), Is.Unique);

    [Test]
    public void Ids_are_unique_and_spelled_LB_and_four_digits()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Is.Unique);
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Has.All.Match("^LB[0-9]{4}$"));
    }

    [Test]
    public void Titles_are_unique_and_not_empty()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Title), Is.Unique);
        Assert.That(DiagnosticCodes.All.Select(c => c.Title), Has.None.Empty);
    }

    [Test]
    public void Numbers_fall_in_the_documented_ranges() =>
        Assert.That(DiagnosticCodes.All.Select(c => c.Number / 1000), Has.All.AnyOf(1, 2, 3, 9));
}
