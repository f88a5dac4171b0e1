using NUnit.Framework.Interfaces;

[assembly: LayerBuilder.Tests.Support.CliIsolationCleanup]

namespace LayerBuilder.Tests.Support;

/// <summary>Removes a test's private CLI cache and temp folders when the test (or fixture) ends.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class CliIsolationCleanupAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test | ActionTargets.Suite;

    public void BeforeTest(ITest test)
    {
    }

    public void AfterTest(ITest test)
    {
        if (test.Parent is null)
        {
            CliIsolation.RemoveAll();
        }
        else
        {
            CliIsolation.Remove(test.Id);
        }
    }
}
