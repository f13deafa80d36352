#!/usr/bin/env bash
# Packs what the workplace GPU machine needs to run dpo4j into gpu-pack/ (git-ignored), for the
# device tool's `carry`: the machine has python3 + torch (CUDA) but no Java, no network and no
# unzip, and takes at most 64 MiB per call, working tree included. docs/gpu.md says how to use it.
#
#   scripts/gpu/pack.sh            build (offline), then pack
#   DPO4J_GPU_SKIP_BUILD=1 ...     pack the last build of this build folder again
#
# gpu-pack/ then holds:
#   dpo4j-gpu.tar.xz              one `tar | xz -6` of jre/ (a jlink-ed Java 17) and lib/ (the CLI's
#                                 jars: no pytorch-native-cpu, hadoop, parquet, zstd, snappy or
#                                 aircompressor; tokenizers and pytorch-jni cut to linux-x86_64;
#                                 every jar stored uncompressed so that xz compresses across them)
#   libdjl_torch-2.11-cu130.so    DJL 0.35.1's JNI rebuilt against the machine's torch 2.11
#   fixtures/                     models, models-hf, dpo-step-llama-tiny from ../shared/fixtures
#   reference/                    ../shared/gpu/reference/*.py (the transformers + peft yardstick)
#
# Environment: JAVA_HOME (a JDK 17 with jlink; else jlink on the PATH), DPO4J_SHARED (default
# ../shared next to the checkout), DPO4J_GPU_BUILD_DIR (Maven build folder, default target-gpu),
# DPO4J_MVN_FLAGS (default -o), DPO4J_GPU_MAX_MIB (default 60).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${DPO4J_SHARED:-$repo/../shared}"
build_dir="${DPO4J_GPU_BUILD_DIR:-target-gpu}"
out="$repo/gpu-pack"
max_mib="${DPO4J_GPU_MAX_MIB:-60}"
version="0.1.0-SNAPSHOT"
read -r -a mvn_flags <<< "${DPO4J_MVN_FLAGS--o}"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ]; then
  jlink="$JAVA_HOME/bin/jlink"
elif command -v jlink >/dev/null 2>&1; then
  jlink="jlink"
else
  echo "pack: no jlink (set JAVA_HOME to a JDK 17)." >&2
  exit 1
fi
for f in "$shared/gpu/libdjl_torch-2.11-cu130.so" "$shared/fixtures/models" "$shared/fixtures/models-hf" \
    "$shared/fixtures/dpo-step-llama-tiny" "$shared/gpu/reference"; do
  if [ ! -e "$f" ]; then
    echo "pack: $f not found (set DPO4J_SHARED to the shared folder)." >&2
    exit 1
  fi
done

start=$(date +%s)
if [ "${DPO4J_GPU_SKIP_BUILD:-}" != "1" ]; then
  echo "pack: building into */$build_dir …" >&2
  (cd "$repo" && ./mvnw ${mvn_flags[@]+"${mvn_flags[@]}"} -q -B package -DskipTests "-Ddpo4j.build.dir=$build_dir") >&2
fi
jar="$repo/examples/$build_dir/examples-$version.jar"
lib="$repo/examples/$build_dir/lib"
if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
  echo "pack: no build at $jar and $lib." >&2
  exit 1
fi

stage="$(mktemp -d "${TMPDIR:-/tmp}/dpo4j-gpu-pack.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

# 1. A Java runtime with only the modules dpo4j uses (75 MB unpacked).
"$jlink" --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,java.desktop,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress=0 --output "$stage/jre"

# 2. The CLI's jars, trimmed and stored uncompressed.
mkdir -p "$stage/lib"
python3 - "$jar" "$lib" "$stage/lib" <<'PY'
import os, re, sys, zipfile

jar, lib, dest = sys.argv[1], sys.argv[2], sys.argv[3]
# Useless on the GPU machine: the CPU libtorch, and the Parquet reader with the libraries it needs.
DROP = re.compile(r"^(pytorch-native-cpu|hadoop-|parquet-|zstd-|snappy-|aircompressor-)")
# Native folders of other platforms inside the tokenizers and pytorch-jni jars.
PLATFORM = re.compile(r"^(native/lib|jnilib)/([a-z]+-(x86_64|aarch64|arm64|x86|armv7|ppc64le|s390x))/")

def copy(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            m = PLATFORM.match(info.filename)
            if m and m.group(2) != "linux-x86_64":
                continue
            out = zipfile.ZipInfo(info.filename, info.date_time)
            out.external_attr = info.external_attr
            out.compress_type = zipfile.ZIP_STORED
            zout.writestr(out, zin.read(info.filename))

kept = dropped = 0
copy(jar, os.path.join(dest, os.path.basename(jar)))
for name in sorted(os.listdir(lib)):
    if not name.endswith(".jar"):
        continue
    if DROP.match(name):
        dropped += 1
        continue
    copy(os.path.join(lib, name), os.path.join(dest, name))
    kept += 1
size = sum(os.path.getsize(os.path.join(dest, n)) for n in os.listdir(dest))
print(f"pack: {kept + 1} jars kept ({size / 2**20:.1f} MiB stored), {dropped} dropped", file=sys.stderr)
PY

# 3. One archive, then the files a GPU check reads next to it.
rm -rf "$out"
mkdir -p "$out/fixtures" "$out/reference"
tar -C "$stage" -cf - jre lib | xz -6 -T0 > "$out/dpo4j-gpu.tar.xz"
cp "$shared/gpu/libdjl_torch-2.11-cu130.so" "$out/"
cp -R "$shared/fixtures/models" "$shared/fixtures/models-hf" "$shared/fixtures/dpo-step-llama-tiny" "$out/fixtures/"
cp "$shared/gpu/reference/"*.py "$out/reference/"

bytes=$(du -sb "$out" | cut -f1)
mib=$(( (bytes + 1048575) / 1048576 ))
echo "pack: $out: $(du -sh "$out/dpo4j-gpu.tar.xz" | cut -f1) archive, $mib MiB in all, $(( $(date +%s) - start )) s" >&2
if [ "$mib" -gt "$max_mib" ]; then
  echo "pack: $out is $mib MiB, over the ${max_mib} MiB budget (64 MiB per call, working tree included)." >&2
  exit 1
fi
