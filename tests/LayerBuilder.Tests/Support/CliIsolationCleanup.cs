using NUnit.Framework.Interfaces;

[assembly: LayerBuilder.Tests.Support.CliIsolationCleanup]

namespace LayerBuilder.Tests.Support;

/// <summary>Points this process's cache at a folder of the run before any test, and removes a test's private
/// CLI cache and temp folders when the test (or fixture) ends, and the run's when the run ends.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class CliIsolationCleanupAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test | ActionTargets.Suite;

    public void BeforeTest(ITest test)
    {
        if (test.Parent is null)
        {
            CliIsolation.IsolateThisProcess();
        }
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
