"""Reads doccano JSONL files on its own (not through gloss), as doccano's
importer reads them, and checks that the sidecars hold what they say:
spans (label and text) from `label`/`labels` triples and `entities`
(triples or objects), relations (type, from text, to text), categories
(label names and `cats`). Lines without text are skipped, as doccano
skips them.

    python doccano_check.py CORPUS ANNOTATIONS FILE...

Prints one line starting "ok" and exits 0, or raises.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sidecar_sets import articles_by_text, compare  # noqa: E402


def main():
    corpus, annotations = sys.argv[1:3]
    by_text = articles_by_text(corpus)
    want = {}
    for path in sys.argv[3:]:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            r = json.loads(line)
            if "text" not in r:
                continue
            t = r["text"]
            w = want.setdefault(by_text[t], {"spans": set(), "relations": set(), "labels": set()})
            ents = {}
            for key in ("label", "labels"):
                for x in r.get(key, []):
                    if isinstance(x, list):
                        w["spans"].add((x[2], t[x[0]:x[1]]))
                    else:
                        w["labels"].add(x)
            for e in r.get("entities", []):
                if isinstance(e, list):
                    w["spans"].add((e[2], t[e[0]:e[1]]))
                else:
                    w["spans"].add((e["label"], t[e["start_offset"]:e["end_offset"]]))
                    ents[e["id"]] = t[e["start_offset"]:e["end_offset"]]
            for x in r.get("relations", []):
                w["relations"].add((x["type"], ents[x["from_id"]], ents[x["to_id"]]))
            for c in r.get("cats", []):
                w["labels"].add(c)
    checked = compare(want, annotations)
    print(f"ok doccano: {len(want)} articles, {checked} spans, relations and labels as doccano's files say")


main()
