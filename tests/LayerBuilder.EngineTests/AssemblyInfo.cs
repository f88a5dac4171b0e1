using System.Runtime.Versioning;

// The engines these tests drive (dockerd, podman, containerd, umoci) and the busybox fixture are Linux-only.
[assembly: SupportedOSPlatform("linux")]

// Engines share one daemon and the fixtures build real archives: run one test at a time.
[assembly: NonParallelizable]
