using LayerBuilder.Testing;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// What the registry test classes share: a real registry (Debian's docker-registry on 127.0.0.1, plain
/// HTTP) started once per class, the images the class puts into it (<see cref="PushImagesAsync"/>), and the
/// folder those images were made in; both go when the class is done.
/// </summary>
public abstract class LoopbackRegistryTests
{
    protected RegistryServer Registry { get; private set; } = null!;

    /// <summary>Where the class's images were made before they were pushed.</summary>
    protected TempDirectory Images { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartRegistryAsync()
    {
        Registry = await RegistryServer.StartPlainAsync();
        Images = new TempDirectory();
        await PushImagesAsync();
    }

    [OneTimeTearDown]
    public async Task StopRegistryAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        Images?.Dispose();
    }

    /// <summary>Puts the class's images into <see cref="Registry"/>; none unless a class says.</summary>
    protected virtual Task PushImagesAsync() => Task.CompletedTask;
}
