"""Reads a folder of brat standoff files on its own (not through gloss) and
prints each document's records, with brat's ids replaced by what they
stand for, so that two folders written by different tools compare equal
when they hold the same annotations.

    python brat_records.py FOLDER

Prints one JSON object: {relative name: sorted list of records}.
"""

import json
import os
import sys


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def records(ann, text):
    t, r, e, a, n, eq, notes = {}, [], {}, [], [], [], []
    for line in ann.splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        kind = line[0]
        if kind == "T":
            ty, offs = cols[1].split(" ", 1)
            frags = [tuple(int(x) for x in f.split()) for f in offs.split(";")]
            assert " ".join(text[s:e_] for s, e_ in frags) == cols[2], line
            t[cols[0]] = (ty, tuple(frags))
        elif kind == "R":
            ty, a1, a2 = cols[1].split()
            r.append((ty, a1.split(":")[1], a2.split(":")[1], cols[0]))
        elif kind == "E":
            parts = cols[1].split()
            ty, trig = parts[0].split(":")
            args = [tuple(p.split(":")) for p in parts[1:]]
            e[cols[0]] = (ty, trig, args)
        elif kind in "AM":
            parts = cols[1].split()
            a.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
        elif kind == "N":
            ty, target, ref = cols[1].split()
            n.append((ty, target, ref, cols[2]))
        elif kind == "*":
            parts = cols[1].split()
            eq.append((parts[0], parts[1:]))
        elif kind == "#":
            notes.append((cols[1].split()[1], cols[2]))
        else:
            raise AssertionError(line)

    def key(i, depth=0):
        assert depth < 20, i
        if i in t:
            return ["T", *t[i]]
        if i in e:
            ty, trig, args = e[i]
            return ["E", ty, key(trig), sorted([role.rstrip("0123456789"), key(x, depth + 1)] for role, x in args)]
        for ty, a1, a2, rid in r:
            if rid == i:
                return ["R", ty, key(a1), key(a2)]
        raise AssertionError(f"no annotation {i}")

    out = [key(i) for i in t] + [key(i) for i in e] + [key(x[3]) for x in r]
    out += [["A", name, key(target), value] for name, target, value in a]
    out += [["N", ty, key(target), ref, txt] for ty, target, ref, txt in n]
    out += [["*", ty, sorted(key(m) for m in members)] for ty, members in eq]
    # Several notes on one annotation are one note of several lines.
    by = {}
    for target, note in notes:
        by.setdefault(json.dumps(key(target)), []).append(note)
    out += [["#", json.loads(k), sorted(v)] for k, v in by.items()]
    return sorted(json.dumps(x, sort_keys=True) for x in out)


def main():
    root = sys.argv[1]
    docs = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".ann"):
                p = os.path.join(dirpath, name)
                rel = os.path.relpath(p, root)[: -len(".ann")]
                docs[rel] = records(read(p), read(p[: -len(".ann")] + ".txt"))
    print(json.dumps(docs, sort_keys=True, indent=1))


main()
