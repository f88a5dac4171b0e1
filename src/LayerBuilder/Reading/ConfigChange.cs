namespace LayerBuilder.Reading;

/// <summary>One value of the image config that differs between two images (<see cref="ImageComparison"/>).</summary>
/// <param name="Field">Where the value is in the config's JSON: keys joined by <c>.</c>, array items by
/// <c>[index]</c> (<c>config.Env[1]</c>, <c>rootfs.diff_ids[0]</c>, <c>architecture</c>).</param>
/// <param name="Left">The value in the first image as compact JSON (<c>"amd64"</c>, <c>8080</c>), null when it has none.</param>
/// <param name="Right">The value in the second image, null when it has none.</param>
public sealed record ConfigChange(string Field, string? Left, string? Right);
