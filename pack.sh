#!/bin/sh
# Packs every LayerBuilder package into one folder, ready for `dotnet tool install --add-source`:
#   LayerBuilder (the library), LayerBuilder.MSBuild (the publish route), and LayerBuilder.Tool as the
#   package `dotnet tool install` looks up plus the packages it points at: the native (Native AOT) one for
#   this machine's platform (linux-x64 or linux-arm64) and the portable one ("any") for every other.
# A build from a clone is versioned 0.1.0-dev.<commit> (Directory.Build.props); the script prints it.
#
#   ./pack.sh [FOLDER]            default FOLDER: nupkgs
#   dotnet tool install -g LayerBuilder.Tool --add-source nupkgs --version <printed version>
set -eu

root=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-nupkgs}" && cd "${1:-nupkgs}" && pwd)

case "$(uname -m)" in
  x86_64) native=linux-x64 ;;
  aarch64 | arm64) native=linux-arm64 ;;
  *) native= ;;
esac

# Native AOT links with clang; gcc serves where clang is missing.
linker=
if [ -n "$native" ] && ! command -v clang >/dev/null 2>&1; then
  linker=-p:CppCompilerAndLinker=gcc
fi

# A clean build of its own, away from the checkout's bin/ and obj/ (which a running build may use).
artifacts=$(mktemp -d "${TMPDIR:-/tmp}/layerbuilder-pack.XXXXXX")
trap 'rm -rf "$artifacts"' EXIT INT TERM

# One version for every package, even if HEAD moves while packing (Directory.Build.targets would
# otherwise read it per project).
version_arg=
if commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null); then
  version_arg=-p:VersionSuffix=dev.$commit
fi

pack() {
  dotnet pack "$@" -c Release -o "$out" --artifacts-path "$artifacts" -nologo -v q $version_arg
}

pack "$root/src/LayerBuilder/LayerBuilder.csproj"
pack "$root/src/LayerBuilder.MSBuild/LayerBuilder.MSBuild.csproj"
pack "$root/src/LayerBuilder.Tool/LayerBuilder.Tool.csproj"
pack "$root/src/LayerBuilder.Tool/LayerBuilder.Tool.csproj" -r any
if [ -n "$native" ]; then
  pack "$root/src/LayerBuilder.Tool/LayerBuilder.Tool.csproj" -r "$native" $linker
fi

version=$(ls "$out" | sed -n 's/^LayerBuilder\.Tool\.\([0-9][^a-z]*\(-[a-z0-9.]*\)\{0,1\}\)\.nupkg$/\1/p' | head -n 1)
echo "packed $version into $out:"
ls "$out"
