#!/usr/bin/env bash
# The GPU check to run ON the workplace GPU machine after scripts/gpu/pack.sh (see docs/gpu.md):
# the machine's set-up (remote.sh --check), then `logprobs` on fixtures/models/llama-tiny with TF32
# off and on, each compared with the fixture's expected token log-probs (python3). TF32 off must
# match to 1e-4 (measured 6e-6 on 2026-12-04); TF32 on is reported, not judged: a difference from
# the TF32-off run shows that TORCH_ALLOW_TF32_CUBLAS_OVERRIDE reached libtorch.
#
#   scripts/gpu/check.sh                                   on the GPU machine (--device gpu)
#   DPO4J_GPU_SIMULATE_CPU=1 DPO4J_GPU_DEVICE=cpu scripts/gpu/check.sh   rehearsal on a CPU machine
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pack="${DPO4J_GPU_PACK:-$repo/gpu-pack}"
device="${DPO4J_GPU_DEVICE:-gpu}"
model="$pack/fixtures/models/llama-tiny"
work="$(mktemp -d "${TMPDIR:-/tmp}/dpo4j-gpu-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$repo/scripts/gpu/remote.sh" --check

python3 - "$model/expected.json" "$work/in.jsonl" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for ids in expected["input_ids"]:
        f.write(json.dumps({"prompt_ids": ids[:1], "completion_ids": ids[1:]}) + "\n")
PY

for tf32 in 0 1; do
  t0=$(date +%s.%N)
  TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=$tf32 "$repo/scripts/gpu/remote.sh" logprobs --model "$model" \
    --input "$work/in.jsonl" --output "$work/out-$tf32.jsonl" --device "$device" 2>"$work/err-$tf32.txt" \
    || { cat "$work/err-$tf32.txt" >&2; exit 1; }
  echo "logprobs --device $device, TF32=$tf32: $(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')") s (JVM start included)"
done

python3 - "$model/expected.json" "$work/out-0.jsonl" "$work/out-1.jsonl" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))["token_logprobs"]
def load(path):
    return [json.loads(line)["token_logprobs"] for line in open(path)]
def worst(a, b):
    return max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
off, on = load(sys.argv[2]), load(sys.argv[3])
print(f"worst |token log-prob - expected|: TF32 off {worst(off, expected):.3g}, TF32 on {worst(on, expected):.3g};"
      f" TF32 on vs off {worst(on, off):.3g}")
if worst(off, expected) > 1e-4:
    sys.exit("FAIL: TF32-off log-probs differ from the fixture by more than 1e-4")
print("PASS")
PY
