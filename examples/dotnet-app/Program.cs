// Shows that it runs in the image: the version the build put into the environment, the base's OS and the user.
var osRelease = File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : [];
var os = osRelease.FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
Console.WriteLine($"Hello from dotnet-app {Environment.GetEnvironmentVariable("APP_VERSION")} on {os ?? "an unknown OS"}, as {Environment.UserName}");
