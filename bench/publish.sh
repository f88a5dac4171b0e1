#!/usr/bin/env bash
# The publish comparison (bench/run.sh runs it last; it also runs alone): one fresh `dotnet new web` app,
# self-contained for linux-x64, and one base, served by a loopback registry to both sides, published
# alternately in rounds of five runs, each after a code-only change (a new Program.cs), so every run
# compiles the same way:
#   plain    `dotnet publish` (no image)
#   sdk      `dotnet publish -t:PublishContainer` to an archive (ContainerArchiveOutputPath), the base's
#            blobs warm in the SDK's content store (XDG_CACHE_HOME/dotnet/Containers/Content, kept
#            between its runs as on a developer's machine)
#   lb-warm  `dotnet publish` with LayerBuilder's package (the MSBuild route), its layer cache warm
#   lb-cold  the same with an empty layer cache (the base pulled again, every layer written)
#   sdk-cold the sdk run with an empty content store (the base pulled again): lb-cold's like for like
# The cost of an image is a run's time minus the plain publish's; the targets: LayerBuilder's cost at most
# 0.25 x the SDK's, and the bytes of the layers a code-only change adds at most 5 % of the SDK's. The cold
# run is compared with both SDK runs: with the SDK's warm store (the figure the target has always used),
# and with its empty store (the same work on both sides: a base pulled, every layer written).
#
#   bench/publish.sh [WORKDIR]     RUNS=N (default 3) rounds; BENCH_ROOTFS=TAR the base's root filesystem
#                                  (default: the Debian minbase the tests cache)
# Needs docker-registry and a root filesystem tar; prints "publish ..." result lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/layerbuild-publish.XXXXXX")}
runs=${RUNS:-3}
mkdir -p "$work"
work=$(cd "$work" && pwd)
rootfs=${BENCH_ROOTFS:-${XDG_CACHE_HOME:-$HOME/.cache}/layerbuilder-tests/debian-bookworm-minbase.tar}
if ! command -v docker-registry >/dev/null 2>&1 || [ ! -f "$rootfs" ]; then
  echo "publish      docker-registry or the base's root filesystem ($rootfs) missing: not measured"
  exit 0
fi
pw="$work/publish"
rm -rf "$pw" && mkdir -p "$pw"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== publish comparison: packing LayerBuilder.MSBuild" >&2
version="0.0.0-bench.$(date -u +%Y%m%d%H%M%S).$$"
dotnet pack "$repo/src/LayerBuilder.MSBuild/LayerBuilder.MSBuild.csproj" -c Release -o "$pw/feed" \
  --artifacts-path "$pw/artifacts" "-p:Version=$version" -nologo -v q >/dev/null

# A loopback registry (plain HTTP) serving the base to both sides.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$pw/registry/data"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$pw/registry/data" "$port" > "$pw/registry/config.yml"
docker-registry serve "$pw/registry/config.yml" >"$pw/registry/log" 2>&1 &
registry_pid=$!
# The bench version of the package leaves the global packages folder with the registry.
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
trap 'kill "$registry_pid" 2>/dev/null || true; rm -rf "${packages:?}/layerbuilder.msbuild/$version"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
base="127.0.0.1:$port/bench/runtime-deps:10.0"
# The SDK reaches a registry over plain HTTP only when told it is insecure.
export DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port"

# The base: the root filesystem as one layer, with /app, pushed with LayerBuilder's MSBuild task so this
# script needs no native tool build.
mkdir -p "$pw/base"
cat > "$pw/base/base.yml" <<YAML
image: 127.0.0.1:$port/bench/runtime-deps
tags: ["10.0"]
base: { rootfs: "$rootfs" }
steps:
  - name: app folder
    dirs: [{ path: /app }]
YAML
cat > "$pw/base/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="bench" value="$pw/feed" /></packageSources></configuration>
XML
cat > "$pw/base/base.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="LayerBuilder.MSBuild" Version="$version" PrivateAssets="all" /></ItemGroup>
</Project>
XML
XDG_CACHE_HOME="$pw/base-cache" dotnet msbuild "$pw/base/base.csproj" -restore -t:LayerBuild \
  -p:LayerBuildRecipe=base.yml -p:LayerBuildPush=true -p:LayerBuildOutput="$pw/base/base.tar" -nologo -v q >/dev/null

# The app: a fresh web app, self-contained (the base has no .NET runtime), invariant globalization (the
# minbase has no libicu), referencing the package; each side switched on per run.
echo "== publish comparison: a fresh dotnet new web app" >&2
app="$pw/BenchWeb"
dotnet new web -n BenchWeb -o "$app" >/dev/null
cp "$pw/base/nuget.config" "$app/nuget.config"
sed -i "s|</PropertyGroup>|  <RuntimeIdentifier>linux-x64</RuntimeIdentifier>\n    <SelfContained>true</SelfContained>\n    <InvariantGlobalization>true</InvariantGlobalization>\n  </PropertyGroup>\n  <ItemGroup><PackageReference Include=\"LayerBuilder.MSBuild\" Version=\"$version\" PrivateAssets=\"all\" /></ItemGroup>|" "$app/BenchWeb.csproj"
dotnet restore "$app" -nologo -v q >/dev/null

change=0
code_change() { # a new Program.cs: what a code-only change is
  change=$((change + 1))
  cat > "$app/Program.cs" <<CS
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "Hello World! change $change");
app.Run();
CS
}
publish() { # OUTFILE dotnet-publish-arguments...: times one publish after a code change ("wall cpu" seconds)
  local out=$1; shift
  code_change
  # The archives copied aside for the byte comparison are written back before the clock starts, not by the
  # kernel during the measured publish.
  sync
  # No build server and no node left running: every process of the publish is a child of this one, so
  # its CPU time (user + system, less disturbed by a busy machine than the wall clock) is counted too.
  /usr/bin/time -f "%e %U %S" -o "$pw/time" dotnet publish "$app" -c Release --no-restore -nologo -v q \
    -nodeReuse:false -p:UseSharedCompilation=false "$@" >"$pw/out" 2>&1 || { cat "$pw/out" >&2; exit 1; }
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$pw/time" >> "$out"
}
plain=(-p:LayerBuildEnabled=false)
sdk=(-t:PublishContainer -p:LayerBuildEnabled=false "-p:ContainerBaseImage=$base" -p:ContainerArchiveOutputPath="$pw/sdk.tar")
lb=("-p:LayerBuildBaseImage=$base" -p:LayerBuildOutput="$pw/lb.tar")

# new_layer_bytes PREVIOUS NEW: the bytes of NEW's layer blobs that PREVIOUS does not hold, as stored in
# the archive (the SDK writes an OCI layout with gzip layers, LayerBuilder's default docker format plain tars).
new_layer_bytes() {
  python3 - "$1" "$2" <<'PY'
import hashlib, json, sys, tarfile
def layers(path):
    with tarfile.open(path) as t:
        names = t.getnames()
        if "manifest.json" in names:
            manifest = json.load(t.extractfile("manifest.json"))
            return {hashlib.sha256(t.extractfile(n).read()).hexdigest(): t.getmember(n).size for n in manifest[0]["Layers"]}
        blob = lambda d: json.load(t.extractfile("blobs/sha256/" + d.split(":")[1]))
        manifest = blob(json.load(t.extractfile("index.json"))["manifests"][0]["digest"])
        return {layer["digest"]: layer["size"] for layer in manifest["layers"]}
before, after = layers(sys.argv[1]), layers(sys.argv[2])
print(sum(size for digest, size in after.items() if digest not in before))
PY
}

echo "== publish comparison: warming up (one run of each), then $runs rounds" >&2
publish "$pw/warmup" "${plain[@]}"
XDG_CACHE_HOME="$pw/sdk-cache" publish "$pw/warmup" "${sdk[@]}"
XDG_CACHE_HOME="$pw/lb-cache" publish "$pw/warmup" "${lb[@]}"
rm -f "$pw"/*.t "$pw/sdk.bytes" "$pw/lb.bytes"
for i in $(seq "$runs"); do
  publish "$pw/plain.t" "${plain[@]}"
  cp "$pw/sdk.tar" "$pw/sdk-before.tar"
  XDG_CACHE_HOME="$pw/sdk-cache" publish "$pw/sdk.t" "${sdk[@]}"
  new_layer_bytes "$pw/sdk-before.tar" "$pw/sdk.tar" >> "$pw/sdk.bytes"
  cp "$pw/lb.tar" "$pw/lb-before.tar"
  XDG_CACHE_HOME="$pw/lb-cache" publish "$pw/lb-warm.t" "${lb[@]}"
  new_layer_bytes "$pw/lb-before.tar" "$pw/lb.tar" >> "$pw/lb.bytes"
  rm -rf "$pw/lb-cold-cache"
  XDG_CACHE_HOME="$pw/lb-cold-cache" publish "$pw/lb-cold.t" "${lb[@]}"
  rm -rf "$pw/sdk-cold-cache"
  XDG_CACHE_HOME="$pw/sdk-cold-cache" publish "$pw/sdk-cold.t" "${sdk[@]}"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
check() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }'; }
diff_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
for clock in wall cpu; do
  c=$([ "$clock" = wall ] && echo 1 || echo 2)
  p=$(awk -v c="$c" '{print $c}' "$pw/plain.t" | median); s=$(awk -v c="$c" '{print $c}' "$pw/sdk.t" | median)
  w=$(awk -v c="$c" '{print $c}' "$pw/lb-warm.t" | median); k=$(awk -v c="$c" '{print $c}' "$pw/lb-cold.t" | median)
  sk=$(awk -v c="$c" '{print $c}' "$pw/sdk-cold.t" | median)
  sc=$(diff_of "$s" "$p"); wc=$(diff_of "$w" "$p"); kc=$(diff_of "$k" "$p"); skc=$(diff_of "$sk" "$p")
  printf 'publish %-4s plain %.2fs  sdk PublishContainer %.2fs  layerbuild after a code change %.2fs  cold %.2fs  sdk cold %.2fs\n' "$clock" "$p" "$s" "$w" "$k" "$sk"
  printf 'publish %-4s image cost over plain: sdk %ss; layerbuild after a code change %ss = %s x (target <= 0.25: %s), cold %ss = %s x (target <= 0.25: %s)\n' \
    "$clock" "$sc" "$wc" "$(ratio "$wc" "$sc")" "$(check "$(ratio "$wc" "$sc")" 0.25)" "$kc" "$(ratio "$kc" "$sc")" "$(check "$(ratio "$kc" "$sc")" 0.25)"
  printf 'publish %-4s cold against cold (both stores empty): sdk %ss; layerbuild %ss = %s x (target <= 0.25: %s)\n' \
    "$clock" "$skc" "$kc" "$(ratio "$kc" "$skc")" "$(check "$(ratio "$kc" "$skc")" 0.25)"
done
sb=$(median < "$pw/sdk.bytes"); lbb=$(median < "$pw/lb.bytes")
printf 'publish      new layer bytes after a code-only change: sdk %.0f, layerbuild %.0f = %s x (target <= 0.05: %s)\n' \
  "$sb" "$lbb" "$(ratio "$lbb" "$sb")" "$(check "$(ratio "$lbb" "$sb")" 0.05)"
printf 'publish      (%s rounds, medians; load average at the end: %s)\n' "$runs" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
