"""Reads WebAnno TSV 3.3 files on its own (not through gloss), from the
format's description in INCEpTION's documentation, and prints what each
holds: spans (label, the text their UTF-16 offsets cover in the article,
and those offsets as code points) and relations (label, source text, target text).

    python tsv_records.py ARTICLE TSV

Only span layers with a `value` feature (or none) and relation layers
between them are read; other layers are left to their own tools.
"""

import json
import re
import sys


def unescape(v):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), v)


def split(cell):
    return re.split(r"(?<!\\)\|", cell)


def main():
    text = open(sys.argv[1], encoding="utf-8", newline="").read()
    units = text.encode("utf-16-le")

    def cover(b, e):
        return units[2 * b:2 * e].decode("utf-16-le")

    def cp(b):
        # A code point offset, as Python (and gloss's sidecars) count.
        return len(units[:2 * b].decode("utf-16-le"))

    layers = []
    rows = []
    for line in open(sys.argv[2], encoding="utf-8", newline="").read().split("\n"):
        if line.startswith("#T_"):
            kind, decl = line[3:5], line[6:]
            parts = decl.split("|")
            layers.append((kind, parts[0], parts[1:]))
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            b, e = (int(x) for x in cols[1].split("-"))
            rows.append((cols[0], b, e, cols[3:]))
    col, where = 0, []
    for kind, name, feats in layers:
        where.append(col)
        col += len(feats)
    spans = {}
    short = lambda n: n.split(".")[-1]
    lings = ("POS", "Lemma", "Stem", "MorphologicalFeatures", "Dependency", "Chunk")
    for addr, b, e, cols in rows:
        for (kind, name, feats), c in zip(layers, where):
            if kind != "SP" or short(name) in lings:
                continue
            f = feats.index("value") if "value" in feats else 0
            cell = cols[c + f] if feats else "_"
            if cell in ("_", ""):
                continue
            for k, item in enumerate(split(cell)):
                m = re.fullmatch(r"(.*)\[(\d+)\]", item)
                value, ident = (m.group(1), m.group(2)) if m else (item, f"{addr}#{k}")
                label = short(name) if value in ("*", "_", "") else unescape(value)
                key = (name, ident)
                if key in spans:
                    spans[key][0] = min(spans[key][0], b)
                    spans[key][1] = max(spans[key][1], e)
                else:
                    spans[key] = [b, e, label]
    rels = []
    addr_range = {a: (b, e) for a, b, e, _ in rows}
    for addr, b, e, cols in rows:
        for (kind, name, feats), c in zip(layers, where):
            if kind != "RL":
                continue
            base = feats[-1][3:]
            if short(base) in lings:
                continue
            bt = cols[c + len(feats) - 1]
            if bt in ("_", ""):
                continue
            labels = split(cols[c])
            for k, src in enumerate(split(bt)):
                m = re.fullmatch(r"(.*)\[(\d+)_(\d+)\]", src)
                saddr, sid, tid = (m.group(1), m.group(2), m.group(3)) if m else (src, "0", "0")

                def end(a, i):
                    if i != "0":
                        return spans[(base, i)]
                    lo, hi = addr_range[a]
                    mine = [s for (n, _), s in spans.items() if n == base and s[0] <= lo and hi <= s[1]]
                    assert len(mine) == 1, (a, mine)
                    return mine[0]

                s, t = end(saddr, sid), end(addr, tid)
                label = labels[k] if k < len(labels) and labels[k] not in ("*", "_", "") else short(name)
                rels.append([unescape(label), cover(s[0], s[1]), cover(t[0], t[1])])
    out = {
        "spans": sorted([label, cover(b, e), cp(b), cp(e)] for b, e, label in spans.values()),
        "relations": sorted(rels),
    }
    print(json.dumps(out, sort_keys=True))


main()
