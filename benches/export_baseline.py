"""The baseline for the export benchmark: the same JSONL export as
`gloss export --format jsonl`, written plainly over the sidecars with
tomllib and json.

    python export_baseline.py CORPUS ANNOTATIONS OUT
"""

import hashlib
import json
import os
import sys
import tomllib

corpus, annotations, out = sys.argv[1:4]
sidecars = []
for dirpath, _, files in os.walk(annotations):
    for name in files:
        if name.endswith(".toml") and name != "labels.toml":
            sidecars.append(os.path.join(dirpath, name))
docs = []
for path in sidecars:
    with open(path, "rb") as f:
        docs.append(tomllib.load(f))
docs.sort(key=lambda d: d["article"])
with open(out, "w", encoding="utf-8", newline="") as w:
    for d in docs:
        if not d.get("annotation"):
            continue
        with open(os.path.join(corpus, d["article"]), "rb") as f:
            raw = f.read()
        spans = []
        for a in d["annotation"]:
            s = {"start": a["start"], "end": a["end"], "label": a["label"]}
            if "note" in a:
                s["note"] = a["note"]
            s["id"] = a["id"]
            if "annotator" in a:
                s["annotator"] = a["annotator"]
            s["created"] = a["created"].strftime("%Y-%m-%dT%H:%M:%SZ")
            spans.append(s)
        line = {
            "id": d["article"],
            "text": raw.decode("utf-8"),
            "spans": spans,
            "meta": {"fingerprint": "sha256:" + hashlib.sha256(raw).hexdigest()},
        }
        w.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
