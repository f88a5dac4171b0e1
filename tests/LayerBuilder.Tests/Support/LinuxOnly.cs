using System.Runtime.Versioning;

// The tests build fixtures with Unix modes, hard links, /bin/sh and umask: they run on Linux, as the
// engines they stand in for do.
[assembly: SupportedOSPlatform("linux")]
