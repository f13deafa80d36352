#!/usr/bin/env bash
# Runs dpo4j ON the workplace GPU machine, from the repository root of the tree the device tool
# carried there with gpu-pack/ (made here by scripts/gpu/pack.sh). See docs/gpu.md.
#
#   scripts/gpu/remote.sh --check                      Java, torch lib folder, GPU
#   scripts/gpu/remote.sh logprobs --device gpu ...    any dpo4j command
#   DPO4J_MAIN=dev.dpo4j.examples.bench.X scripts/gpu/remote.sh ...   another main class
#
# What it sets up (the recipe measured in ../shared/gpu/README.md):
#   - unpacks gpu-pack/dpo4j-gpu.tar.xz once into /tmp/dpo4j-gpu/<archive hash>/ (jre/, lib/);
#   - PYTORCH_LIBRARY_PATH and LD_LIBRARY_PATH = the lib folder of python3's torch, with
#     PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128 (the JNI version DJL 0.35.1 expects; any other
#     version makes DJL try to download);
#   - DJL_CACHE_DIR (default /tmp/djl) with the JNI rebuilt for torch 2.11 installed where DJL looks
#     first: $DJL_CACHE_DIR/pytorch/2.7.1-cu128-linux-x86_64/0.35.1-libdjl_torch.so;
#   - TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 unless already set (TF32 for float32 matmuls);
#   - java -Dai.djl.offline=true -cp "lib/*" dev.dpo4j.examples.cli.Dpo4jCli "$@".
#
# Environment: DPO4J_JAVA_OPTS (extra JVM options, after the defaults so they win), DPO4J_LOG
# (default warn), DPO4J_GPU_ROOT (default /tmp/dpo4j-gpu), DJL_CACHE_DIR, PYTORCH_LIBRARY_PATH (a
# libtorch to use instead of python3's). DPO4J_GPU_SIMULATE_CPU=1 rehearses all of this on a CPU
# machine: PYTORCH_LIBRARY_PATH defaults to the CPU libtorch DJL extracted under ~/.djl.ai, the
# flavor is cpu, and the CUDA JNI is not installed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pack="${DPO4J_GPU_PACK:-$repo/gpu-pack}"
archive="$pack/dpo4j-gpu.tar.xz"
simulate="${DPO4J_GPU_SIMULATE_CPU:-}"
if [ ! -f "$archive" ]; then
  echo "remote: $archive not found: run scripts/gpu/pack.sh before the call and carry gpu-pack." >&2
  exit 1
fi

# 1. Unpack once per archive (22-33 s there); a half-finished unpack is never used.
hash="$(sha256sum "$archive" | cut -c1-12)"
root="${DPO4J_GPU_ROOT:-/tmp/dpo4j-gpu}/$hash"
if [ ! -f "$root/.unpacked" ]; then
  echo "remote: unpacking $archive into $root …" >&2
  t0=$(date +%s)
  rm -rf "$root.partial"
  mkdir -p "$root.partial"
  xz -dc "$archive" | tar -xf - -C "$root.partial"
  touch "$root.partial/.unpacked"
  rm -rf "$root"
  mv "$root.partial" "$root"
  echo "remote: unpacked in $(( $(date +%s) - t0 )) s" >&2
fi
java="$root/jre/bin/java"

# 2. The libtorch to load, and DJL's JNI for it.
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-/tmp/djl}"
export PYTORCH_VERSION=2.7.1
if [ "$simulate" = "1" ]; then
  if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
    PYTORCH_LIBRARY_PATH="$(ls -d "$HOME"/.djl.ai/pytorch/2.7.1*-cpu-linux-x86_64 2>/dev/null | head -n 1 || true)"
  fi
  export PYTORCH_FLAVOR=cpu
else
  if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
    PYTORCH_LIBRARY_PATH="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  fi
  export PYTORCH_FLAVOR=cu128
  jni_dir="$DJL_CACHE_DIR/pytorch/2.7.1-cu128-linux-x86_64"
  mkdir -p "$jni_dir"
  if ! cmp -s "$pack/libdjl_torch-2.11-cu130.so" "$jni_dir/0.35.1-libdjl_torch.so"; then
    rm -f "$jni_dir/0.35.1-libdjl_torch.so"
    cp "$pack/libdjl_torch-2.11-cu130.so" "$jni_dir/0.35.1-libdjl_torch.so"
  fi
fi
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ] || [ ! -d "$PYTORCH_LIBRARY_PATH" ]; then
  echo "remote: no libtorch folder found (PYTORCH_LIBRARY_PATH='${PYTORCH_LIBRARY_PATH:-}')." >&2
  exit 1
fi
export PYTORCH_LIBRARY_PATH
export LD_LIBRARY_PATH="$PYTORCH_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TORCH_ALLOW_TF32_CUBLAS_OVERRIDE="${TORCH_ALLOW_TF32_CUBLAS_OVERRIDE:-1}"

if [ "${1:-}" = "--check" ]; then
  echo "java: $("$java" -version 2>&1 | head -n 1)"
  echo "archive: $archive ($hash), unpacked at $root"
  echo "PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH ($(ls "$PYTORCH_LIBRARY_PATH" | grep -c '\.so') .so files)"
  echo "PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR DJL_CACHE_DIR=$DJL_CACHE_DIR"
  echo "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=$TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu: $(nvidia-smi -L | head -n 1)"
  else
    echo "gpu: nvidia-smi not found"
  fi
  exit 0
fi

# 3. Run.
read -r -a user_opts <<< "${DPO4J_JAVA_OPTS:-}"
exec "$java" \
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=${DPO4J_LOG:-warn}" \
  "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=${DPO4J_LOG:-error}" \
  -Dai.djl.offline=true \
  ${user_opts[@]+"${user_opts[@]}"} \
  -cp "$root/lib/*" \
  "${DPO4J_MAIN:-dev.dpo4j.examples.cli.Dpo4jCli}" "$@"
