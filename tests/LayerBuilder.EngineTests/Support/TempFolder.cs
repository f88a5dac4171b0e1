namespace LayerBuilder.EngineTests.Support;

/// <summary>A fresh folder for one test under <see cref="Engines.WorkRoot"/>, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose)
    {
        var root = Engines.WorkRoot();
        Directory.CreateDirectory(root);
        Path = Directory.CreateDirectory(System.IO.Path.Combine(root, $"lbe-{purpose}-{Guid.NewGuid():N}"[..28])).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Engines may leave read-only folders (umoci keeps image modes); open them up and try once more.
            foreach (var folder in Directory.EnumerateDirectories(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                TryOpen(folder);
            }

            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                TestContext.Progress.WriteLine($"could not remove test folder {Path}: {again.Message}");
            }
        }
    }

    private static void TryOpen(string folder)
    {
        try
        {
            if (new DirectoryInfo(folder).LinkTarget is null)
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the retry reports what is left
        }
    }
}
