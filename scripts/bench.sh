#!/usr/bin/env bash
# Generates the benchmark data (deterministic, into target/bench-data; never
# committed), runs the benchmark suite, and prints one table: figure, gloss,
# baseline, ratio. Every baseline is measured in the same run.
#
#   scripts/bench.sh            # the whole suite (about 10 minutes on 2 cores)
#   scripts/bench.sh --table    # only print the table of the last run
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-results

if [[ "${1:-}" != --table ]]; then
    need=()
    command -v tmux >/dev/null || need+=(tmux)
    command -v less >/dev/null || need+=(less)
    command -v rg >/dev/null || need+=(ripgrep)
    if ((${#need[@]})); then
        apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
    fi

    mkdir -p "$out"
    echo "== criterion: frames, list filter, saving" >&2
    cargo bench --bench frame --bench list --bench save >&2
    echo "== whole program: first frame, less, key latency, memory" >&2
    cargo bench --bench scale | tee "$out/scale.txt" >&2
    echo "== export" >&2
    cargo bench --bench export | tee "$out/export.txt" >&2
    echo "== corpus search, against rg" >&2
    cargo bench --bench grep | tee "$out/grep.txt" >&2
fi

python3 - "$out" <<'PY'
import glob, json, os, platform, sys

out = sys.argv[1]

def median_ms(group, bench):
    path = f"target/criterion/{group}/{bench}/new/estimates.json"
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] / 1e6

rows = []
def ms(x):
    return f"{x:.2f} ms" if x < 100 else f"{x:.0f} ms"
for place in ["start", "middle", "end"]:
    g = median_ms("frame", f"gloss_{place}")
    p = median_ms("frame", f"paragraph_{place}")
    note = "" if place == "start" else " (Paragraph stops at row 65,535)"
    rows.append((f"frame at the {place} of a 50 MB article, 160x50{note}", ms(g), f"Paragraph with wrap: {ms(p)}", f"{p / g:.0f}x faster"))
rows.append(("frame with 20,000 annotations", ms(median_ms("annotations", "gloss_frame-20000")), "target 16 ms", ""))
rows.append(("list filter, first key, 100,000 articles", ms(median_ms("filter", "gloss_first-key")), "target 16 ms", ""))
rows.append(("list filter, per key typing 'border india'", ms(median_ms("filter", "gloss_per-key-typing-border-india")), "target 16 ms", ""))
rows.append(("save one change, 20,000 annotations (I/O thread)", ms(median_ms("save", "gloss_io-thread-20000")), "target 50 ms", ""))
rows.append(("same change, what typing waits for (UI thread)", ms(median_ms("save", "gloss_ui-thread-20000")), "", ""))
for name in ["scale.txt", "export.txt", "grep.txt"]:
    for line in open(os.path.join(out, name)):
        if line.startswith("ROW|"):
            rows.append(tuple(line.rstrip("\n").split("|")[1:5]))

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
print(f"Machine: {os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB, {platform.system()} {platform.release()}")
print()
print("| figure | gloss | baseline | ratio |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
