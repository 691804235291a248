"""What gloss's sidecars hold, as sets the interop checks compare with
their own reading of another tool's file."""

import os
import tomllib


def articles_by_text(corpus):
    """The corpus's article names (files directly in it), by their text."""
    by_text = {}
    for name in os.listdir(corpus):
        with open(os.path.join(corpus, name), encoding="utf-8", newline="") as f:
            by_text[f.read()] = name
    return by_text


def held(annotations, rel):
    """(spans as (label, quote), relations as (label, from quote, to
    quote), document labels) of article `rel`'s sidecar; empty sets when
    there is none."""
    got = {"spans": set(), "relations": set(), "labels": set()}
    side = os.path.join(annotations, rel + ".toml")
    if os.path.exists(side):
        with open(side, "rb") as f:
            doc = tomllib.load(f)
        quote = {a["id"]: a["quote"] for a in doc.get("annotation", [])}
        got["spans"] = {(a["label"], a["quote"]) for a in doc.get("annotation", [])}
        got["relations"] = {(x["label"], quote[x["from"]], quote[x["to"]]) for x in doc.get("relation", [])}
        got["labels"] = {x["label"] for x in doc.get("document_label", [])}
    return got


def compare(want, annotations):
    """Asserts each article's sidecar holds exactly `want[rel]`; returns
    how many records were checked."""
    checked = 0
    for rel, w in want.items():
        got = held(annotations, rel)
        assert got == w, (rel, got, w)
        checked += len(w["spans"]) + len(w["relations"]) + len(w["labels"])
    assert checked > 0
    return checked
