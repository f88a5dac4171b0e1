namespace LayerBuilder.Testing;

/// <summary>
/// A Debian minbase root filesystem as a tar, made once with debootstrap and kept in the user's cache
/// folder (keyed by suite), because making it takes a minute or two and downloads packages.
/// </summary>
public static class DebianRootfs
{
    public static string CacheFolder
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "layerbuilder-tests");
        }
    }

    /// <summary>The cached tar for <paramref name="suite"/>, made first when missing.</summary>
    public static async Task<string> GetAsync(string suite)
    {
        var tar = Path.Combine(CacheFolder, $"debian-{suite}-minbase.tar");
        if (File.Exists(tar))
        {
            return tar;
        }

        var debootstrap = ProcessRunner.Find("debootstrap")
            ?? throw MissingPrerequisite.Unavailable("debootstrap", "it is not installed (Debian package debootstrap)");
        if (!Environment.IsPrivilegedProcess)
        {
            throw MissingPrerequisite.Unavailable("debootstrap", "it needs root to make the base root filesystem");
        }

        var mirror = AptMirror.Find(suite)
            ?? throw MissingPrerequisite.Unavailable("debootstrap", $"no apt source for suite '{suite}' in /etc/apt to take a mirror from");

        Directory.CreateDirectory(CacheFolder);
        var work = Directory.CreateTempSubdirectory("layerbuilder-debootstrap-").FullName;
        try
        {
            var rootfs = Path.Combine(work, "rootfs");
            var made = await ProcessRunner.RunAsync(debootstrap, ["--variant=minbase", suite, rootfs, mirror], TimeSpan.FromMinutes(15));
            if (!made.Succeeded)
            {
                throw MissingPrerequisite.Unavailable("debootstrap", $"it failed to make a {suite} root filesystem:\n{made.Describe()}");
            }

            // Numeric owners keep ids exact; the package downloads and apt lists are a third of the
            // size and no part of what the tests run.
            var partial = Path.Combine(CacheFolder, $".{Path.GetFileName(tar)}.{Guid.NewGuid():N}.partial");
            await ProcessRunner.RunCheckedAsync("tar", [
                "--numeric-owner", "--exclude=./var/cache/apt/archives/*.deb", "--exclude=./var/lib/apt/lists/*",
                "-C", rootfs, "-cf", partial, "."], TimeSpan.FromMinutes(5));
            File.Move(partial, tar, overwrite: true);
            return tar;
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder must not fail the run; the cache file is what matters.
            TestContext.Progress.WriteLine($"could not remove {folder}: {e.Message}");
        }
    }
}
