using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>A step's entry while the plan is made: the entry, where in the recipe it came from, and
/// whether the recipe named it itself (explicit folders win over folders a copy implies). A value, so a
/// step of 100,000 entries does not hold 100,000 more objects.</summary>
internal readonly record struct PlannedEntry(LayerEntry Entry, SourcePosition Position, bool Explicit);
