"""Reads Label Studio task files on its own (not through gloss), as Label
Studio means them, and checks that the sidecars hold what they say: spans
(label and text) from `labels` results of the annotations not cancelled,
relations (label, from text, to text) from `relation` results, document
labels from `choices`. Predictions are a model's proposals, not
annotations: not expected in the sidecars.

    python labelstudio_check.py CORPUS ANNOTATIONS FILE...

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
    tasks = 0
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for task in data if isinstance(data, list) else [data]:
            tasks += 1
            t = task["data"]["text"]
            w = want.setdefault(by_text[t], {"spans": set(), "relations": set(), "labels": set()})
            for ann in task.get("annotations", []):
                if ann.get("was_cancelled"):
                    continue
                quote = {}
                for r in ann["result"]:
                    v = r.get("value", {})
                    if r["type"] == "labels":
                        q = t[v["start"]:v["end"]]
                        assert "text" not in v or v["text"] == q, (v, q)
                        quote[r["id"]] = q
                        for label in v["labels"]:
                            w["spans"].add((label, q))
                    elif r["type"] == "choices":
                        w["labels"].update(v["choices"])
                for r in ann["result"]:
                    if r["type"] == "relation":
                        for label in r.get("labels") or [""]:
                            w["relations"].add((label, quote[r["from_id"]], quote[r["to_id"]]))
    checked = compare(want, annotations)
    print(f"ok labelstudio: {tasks} tasks, {checked} spans, relations and labels as Label Studio's file says")


main()
