#!/usr/bin/env bash
# The precision checks and benchmarks to run ON the workplace GPU machine, in one call, after
# scripts/gpu/pack.sh (carry gpu-pack). Each step prints a line starting with "== "; the figures go to
# $OUT (the device tool's output folder) or /tmp/dpo4j-bench. See docs/gpu.md and docs/benchmarks.md.
#
#   scripts/gpu/bench.sh [STEP ...]     steps: fixtures step16 qwen llama8b generate (default: all)
#
#   fixtures  logprobs of llama-tiny, qwen2-tiny, gemma-tiny in float32 (TF32 off) and float16 against
#             their expected.json (float32 within 1e-4; float16 within the CPU tolerances of
#             PrecisionGoldenTest: worst 0.1, mean 0.02)
#   step16    the dpo-step-llama-tiny outside check (SGD lr 1, one step) in float32 (TF32 off) and
#             float16: the update against expected_grads.safetensors (float32 1e-4 of each tensor's
#             max; float16 ||Δ||/||g|| ≤ 1e-2 over all tensors)
#   qwen      make_model.py qwen2.5-0.5b (4 pairs, 1536/160/160), ref_dpo.py bf16 and bf16 + ckpt, then
#             DpoStepBenchmark on the same checkpoint and pairs: float16, float32 + TF32 and 4-bit, each
#             with and without gradient checkpointing (target: ≥ 2× the bf16 reference's pairs/s at
#             ≤ 0.6× its peak memory)
#   llama8b   DpoStepBenchmark on llama3-8b-random, 4-bit (NF4 + double quant), checkpointing, 1 pair
#             of 1536/160/160 (target: ≤ 24 GB)
#   generate  GenerationBenchmark on the qwen checkpoint in float16
#
# DPO4J_GPU_SIMULATE_CPU=1 rehearses the Java side on a CPU machine with small shapes (no python
# reference, llama-tiny instead of the Qwen checkpoint, the smallest random shape instead of 8B).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pack="${DPO4J_GPU_PACK:-$repo/gpu-pack}"
out="${OUT:-/tmp/dpo4j-bench}"
mkdir -p "$out"
simulate="${DPO4J_GPU_SIMULATE_CPU:-}"
device=gpu
[ "$simulate" = "1" ] && device=cpu
fixtures="$pack/fixtures"
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(fixtures step16 qwen llama8b generate)
status=0

remote() { "$repo/scripts/gpu/remote.sh" "$@"; }
bench() { local main="$1"; shift; DPO4J_MAIN="dev.dpo4j.examples.bench.$main" "$repo/scripts/gpu/remote.sh" "$@"; }
note() { echo "== $*" | tee -a "$out/summary.txt"; }
fail() { note "FAIL $*"; status=1; }

remote --check | tee "$out/check.txt"

for step in "${steps[@]}"; do
case "$step" in
fixtures)
  for m in llama-tiny qwen2-tiny gemma-tiny; do
    python3 - "$fixtures/models/$m/expected.json" "$out/$m-in.jsonl" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for ids in e["input_ids"]:
        f.write(json.dumps({"prompt_ids": ids[:1], "completion_ids": ids[1:]}) + "\n")
PY
    for dtype in float32 float16; do
      TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=0 remote logprobs --model "$fixtures/models/$m" --device "$device" \
        --dtype "$dtype" --input "$out/$m-in.jsonl" --output "$out/$m-$dtype.jsonl" 2>"$out/$m-$dtype.err" \
        || { fail "fixtures $m $dtype: $(tail -n 3 "$out/$m-$dtype.err")"; continue; }
      python3 - "$fixtures/models/$m/expected.json" "$out/$m-$dtype.jsonl" "$m" "$dtype" <<'PY' | tee -a "$out/summary.txt"
import json, sys
want = json.load(open(sys.argv[1]))["token_logprobs"]
got = [json.loads(l)["token_logprobs"] for l in open(sys.argv[2])]
d = [abs(a - b) for w, g in zip(want, got) for a, b in zip(w, g)]
worst, mean = max(d), sum(d) / len(d)
ok = worst <= 1e-4 if sys.argv[4] == "float32" else (worst <= 0.1 and mean <= 0.02)
print(f"== fixtures {sys.argv[3]} {sys.argv[4]}: worst {worst:.3g} mean {mean:.3g} {'PASS' if ok else 'FAIL'}")
PY
    done
  done
  ;;
step16)
  step="$fixtures/dpo-step-llama-tiny"
  for dtype in float32 float16; do
    rm -rf "$out/step-$dtype"
    TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=0 remote train --model "$fixtures/models/llama-tiny" --adapter "$step" \
      --data "$step/pairs.jsonl" --reference base --loss-type sigmoid --beta 0.1 --optimizer sgd \
      --learning-rate 1.0 --max-steps 1 --train-batch-size 3 --max-grad-norm 0 --warmup-steps 0 \
      --lora-dropout 0 --dtype "$dtype" --device "$device" --output "$out/step-$dtype" \
      >"$out/step-$dtype.txt" 2>&1 || { fail "step16 $dtype: $(tail -n 3 "$out/step-$dtype.txt")"; continue; }
    python3 - "$step" "$out/step-$dtype" "$dtype" <<'PY' | tee -a "$out/summary.txt"
import sys, struct, json
def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]; head = json.loads(f.read(n)); data = f.read()
    out = {}
    for k, v in head.items():
        if k == "__metadata__": continue
        a, b = v["data_offsets"]; assert v["dtype"] == "F32"
        out[k] = struct.unpack(f"<{(b - a) // 4}f", data[a:b])
    return out
start = load(sys.argv[1] + "/adapter_model.safetensors")
grads = load(sys.argv[1] + "/expected_grads.safetensors")
after = load(sys.argv[2] + "/adapter_model.safetensors")
dd = gg = 0.0; worst = 0.0
for k in start:
    g = grads[k]; step = [s - a for s, a in zip(start[k], after[k])]
    m = max(abs(x) for x in g)
    worst = max(worst, max(abs(x - y) for x, y in zip(g, step)) / m)
    dd += sum((x - y) ** 2 for x, y in zip(g, step)); gg += sum(x * x for x in g)
rel = (dd / gg) ** 0.5
ok = worst <= 1e-4 if sys.argv[3] == "float32" else rel <= 1e-2
print(f"== step16 {sys.argv[3]}: worst |Δ|/max {worst:.3g}, ||Δ||/||g|| {rel:.3g} {'PASS' if ok else 'FAIL'}")
PY
  done
  ;;
qwen)
  if [ "$simulate" = "1" ]; then
    model="$fixtures/models/llama-tiny"; pairs_args=(--prompt-length 48 --chosen-length 8 --rejected-length 8)
  else
    model=/tmp/qwen05
    [ -f "$model/pairs.jsonl" ] || python3 "$pack/reference/make_model.py" "$model" 1536 160 160 8 qwen2.5-0.5b \
      >"$out/make_model.txt" 2>&1 || { fail "make_model: $(tail -n 3 "$out/make_model.txt")"; continue; }
    for ck in "" ckpt; do
      python3 "$pack/reference/ref_dpo.py" "$model" bf16 4 6 $ck >"$out/ref-bf16$ck.txt" 2>&1 \
        || { fail "ref_dpo bf16 $ck: $(tail -n 3 "$out/ref-bf16$ck.txt")"; continue; }
      note "$(grep '^REF' "$out/ref-bf16$ck.txt")"
    done
    pairs_args=(--pairs-file "$model/pairs.jsonl")
  fi
  for run in "float16:--dtype float16" "tf32:--dtype float32 --tf32 true" "nf4:--load-in-4bit"; do
    name="${run%%:*}"; read -r -a flags <<< "${run#*:}"
    for ck in true false; do
      bench DpoStepBenchmark --model "$model" "${pairs_args[@]}" --pairs 4 --device "$device" --variants cached \
        --warmup 1 --runs 3 --checkpointing "$ck" "${flags[@]}" >"$out/qwen-$name-ckpt$ck.txt" 2>&1 \
        || { fail "qwen $name ckpt=$ck: $(tail -n 3 "$out/qwen-$name-ckpt$ck.txt")"; continue; }
      note "qwen $name ckpt=$ck: $(grep '^| prefix' "$out/qwen-$name-ckpt$ck.txt")"
    done
  done
  ;;
llama8b)
  shape=llama3-8b-random; lengths=(--prompt-length 1536 --chosen-length 160 --rejected-length 160)
  [ "$simulate" = "1" ] && { shape=smollm2-135m-random; lengths=(--prompt-length 64 --chosen-length 8 --rejected-length 8); }
  bench DpoStepBenchmark --model "$shape" "${lengths[@]}" --pairs 1 --device "$device" --variants cached \
    --warmup 1 --runs 2 --checkpointing true --load-in-4bit --bnb-4bit-use-double-quant \
    >"$out/llama8b.txt" 2>&1 || { fail "llama8b: $(tail -n 3 "$out/llama8b.txt")"; continue; }
  note "llama8b 4-bit ckpt: $(grep '^| prefix' "$out/llama8b.txt")"
  ;;
generate)
  model=/tmp/qwen05; [ "$simulate" = "1" ] && model="$fixtures/models/llama-tiny"
  bench GenerationBenchmark --model "$model" --device "$device" --dtype float16 --prompt-length 128 \
    --new-tokens 64 --batch 4 --warmup 1 --runs 3 >"$out/generate.txt" 2>&1 \
    || { fail "generate: $(tail -n 3 "$out/generate.txt")"; continue; }
  note "generate: $(grep '^| ' "$out/generate.txt" | tail -n 1)"
  ;;
*)
  fail "unknown step '$step' (fixtures step16 qwen llama8b generate)"
  ;;
esac
done
echo "figures in $out; summary:"
cat "$out/summary.txt"
exit $status
