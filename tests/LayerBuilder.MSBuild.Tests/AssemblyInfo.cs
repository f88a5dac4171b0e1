using System.Runtime.Versioning;

// The tests publish linux-x64 images and run them in docker: they are Linux-only by nature.
[assembly: SupportedOSPlatform("linux")]
