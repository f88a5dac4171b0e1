#!/usr/bin/env bash
# Runs one fuzzing campaign: fuzz/run.sh TARGET SECONDS [FINDINGS]
#   TARGET    recipe | dockerfile | extract | rootfs | base-archive (see fuzz/README.md)
#   SECONDS   how long afl-fuzz runs
#   FINDINGS  where afl-fuzz keeps its queue, crashes and hangs (default: a new temp folder)
# Prints one summary line (execs, paths, crashes, hangs) and exits 1 when anything crashed or hung.
# Needs afl-fuzz (Debian package afl++) and the .NET SDK.
set -euo pipefail

target=${1:?usage: fuzz/run.sh TARGET SECONDS [FINDINGS]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [FINDINGS]}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus="$repo/fuzz/corpus/$target"
[[ -d "$corpus" ]] || { echo "no corpus for target '$target' (fuzz/corpus/$target)" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is not installed (Debian package afl++)" >&2; exit 2; }

findings=${3:-$(mktemp -d)}
mkdir -p "$findings"
bin="$findings/bin"

# A Release build of the harness, then coverage instrumentation of the assemblies that read untrusted
# bytes: the product and the parsers it hands them to. The harness and the BCL stay as they are.
dotnet publish "$repo/fuzz/LayerBuilder.Fuzz" -c Release -o "$bin" -v q --nologo >/dev/null
(cd "$repo" && dotnet tool restore >/dev/null)
for assembly in LayerBuilder.dll YamlDotNet.dll ICSharpCode.SharpZipLib.dll ZstdSharp.dll; do
  (cd "$repo" && dotnet sharpfuzz "$bin/$assembly" >/dev/null)
done

# A crash is any exception but the product's own diagnostic (the harness lets nothing else through),
# a run over 10 s (afl's -t), or memory over 1 GiB: the GC heap limit turns that into an
# OutOfMemoryException, which is a crash like any other.
export DOTNET_GCHeapHardLimit=0x40000000
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_FAST_CAL=1
afl-fuzz -i "$corpus" -o "$findings/out" -t 10000 -m none -V "$seconds" -- \
  dotnet "$bin/LayerBuilder.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || {
  echo "afl-fuzz failed; the end of its log:" >&2
  tail -n 30 "$findings/afl.log" >&2
  exit 2
}

stats="$findings/out/default/fuzzer_stats"
value() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
crashes=$(value saved_crashes)
hangs=$(value saved_hangs)
echo "fuzz $target: ${seconds}s, execs $(value execs_done), paths $(value corpus_count), crashes $crashes, hangs $hangs, findings $findings/out/default"
[[ "$crashes" == 0 && "$hangs" == 0 ]]
