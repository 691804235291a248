"""Reads a Prodigy JSONL file on its own (not through gloss) and checks
that the sidecars hold exactly what its accepted records say: spans
(label, text), relations (label, head text, child text) and binary
classification labels. Records answered reject or ignore must have left
nothing.

    python prodigy_check.py PRODIGY.jsonl CORPUS ANNOTATIONS

Prints one line starting "ok" and exits 0, or raises.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sidecar_sets import articles_by_text, compare  # noqa: E402


def main():
    path, corpus, annotations = sys.argv[1:4]
    by_text = articles_by_text(corpus)
    want = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        r = json.loads(line)
        rel = by_text[r["text"]]
        w = want.setdefault(rel, {"spans": set(), "relations": set(), "labels": set()})
        if r.get("answer", "accept") != "accept":
            continue
        t = r["text"]
        for s in r.get("spans", []):
            w["spans"].add((s["label"], t[s["start"]:s["end"]]))
        for x in r.get("relations", []):
            h, c = x["head_span"], x["child_span"]
            w["spans"].add((h["label"], t[h["start"]:h["end"]]))
            w["spans"].add((c["label"], t[c["start"]:c["end"]]))
            w["relations"].add((x["label"], t[h["start"]:h["end"]], t[c["start"]:c["end"]]))
        if isinstance(r.get("label"), str):
            w["labels"].add(r["label"])
    checked = compare(want, annotations)
    print(f"ok prodigy: {len(want)} articles, {checked} spans, relations and labels as Prodigy's file says")


main()
