"""Reads a gloss export with the tool that consumes it and checks it against
the corpus and its sidecars.

    python check.py FORMAT EXPORT CORPUS ANNOTATIONS [--aligned]

--aligned: every annotation starts and ends on a word boundary (the seeds
fixture), so the token-level checks can be exact.
Prints one line starting "ok" and exits 0, or raises.
"""

import csv
import json
import os
import sys
import tomllib


def article(corpus, rel):
    # newline="" keeps CRLF: offsets count it as two characters.
    with open(os.path.join(corpus, rel), encoding="utf-8", newline="") as f:
        return f.read()


def sidecar_docs(annotations):
    """Every sidecar below `annotations`, read with tomllib."""
    for dirpath, _, files in os.walk(annotations):
        for name in files:
            if name.endswith(".toml") and name != "labels.toml":
                with open(os.path.join(dirpath, name), "rb") as f:
                    yield tomllib.load(f)


def sidecars(annotations):
    """rel -> list of annotation tables."""
    return {doc["article"]: doc.get("annotation", []) for doc in sidecar_docs(annotations)}


def records(annotations):
    """rel -> (relations as (label, from quote, to quote), document labels)."""
    out = {}
    for doc in sidecar_docs(annotations):
        by_id = {a["id"]: a["quote"] for a in doc.get("annotation", [])}
        rels = sorted((r["label"], by_id[r["from"]], by_id[r["to"]]) for r in doc.get("relation", []))
        labels = sorted(l["label"] for l in doc.get("document_label", []))
        out[doc["article"]] = (rels, labels)
    return out


RECORDS = {}


def quote_of(anns, start, end, label):
    for a in anns:
        if (a["start"], a["end"], a["label"]) == (start, end, label):
            return a["quote"]
    raise AssertionError(f"no sidecar annotation {label} {start}..{end}")


def longest_first(spans):
    """The CoNLL rule: overlapping spans, the longer wins."""
    kept = []
    for s in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if s[1] > s[0] and all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
            kept.append(s)
    return sorted(kept)


def check_jsonl(path, corpus, side, aligned):
    import spacy
    from spacy.training import offsets_to_biluo_tags

    nlp = spacy.blank("en")
    docs = spans = on_tokens = relations = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = article(corpus, d["id"])
            assert d["text"] == text, d["id"]
            doc = nlp.make_doc(text)
            starts = {t.idx for t in doc}
            ends = {t.idx + len(t) for t in doc}
            for s in d["spans"]:
                assert text[s["start"]:s["end"]] == quote_of(side[d["id"]], s["start"], s["end"], s["label"])
                span = doc.char_span(s["start"], s["end"], label=s["label"])
                if s["start"] in starts and s["end"] in ends:
                    assert span is not None, s
                    on_tokens += 1
                elif aligned:
                    raise AssertionError(f"not on spaCy token boundaries: {s}")
                spans += 1
            # Relations by span ids, and the document labels as spaCy's cats.
            want_rels, want_labels = RECORDS.get(d["id"], ([], []))
            quotes = {s["id"]: text[s["start"]:s["end"]] for s in d["spans"]}
            got = sorted((r["label"], quotes[r["from"]], quotes[r["to"]]) for r in d.get("relations", []))
            assert got == want_rels, (got, want_rels)
            doc.cats = d.get("cats", {})
            assert sorted(doc.cats) == want_labels, (doc.cats, want_labels)
            relations += len(got)
            tags = offsets_to_biluo_tags(doc, longest_first([(s["start"], s["end"], s["label"]) for s in d["spans"]]))
            assert len(tags) == len(doc)
            if aligned:
                assert "-" not in tags, tags
            docs += 1
    assert docs > 0
    print(f"ok jsonl: {docs} docs, {spans} spans, {on_tokens} on spaCy token boundaries, {relations} relations")


def check_doccano(path, corpus, side, aligned):
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(l) for l in f]
    n = 0
    for d in lines:
        assert set(d) >= {"text", "label"}, d.keys()
        text = article(corpus, d["article"])
        assert d["text"] == text
        for start, end, label in d["label"]:
            assert text[start:end] == quote_of(side[d["article"]], start, end, label)
            n += 1
        # doccano's relation format: entities with ids, relations between.
        want_rels, want_labels = RECORDS.get(d["article"], ([], []))
        ents = {e["id"]: text[e["start_offset"]:e["end_offset"]] for e in d.get("entities", [])}
        got = sorted((r["type"], ents[r["from_id"]], ents[r["to_id"]]) for r in d.get("relations", []))
        assert got == want_rels, (got, want_rels)
        assert sorted(d.get("cats", [])) == want_labels, (d.get("cats"), want_labels)
    print(f"ok doccano: {len(lines)} docs, {n} labels")


def check_csv(path, corpus, side, aligned):
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    assert raw.endswith("\r\n"), "RFC 4180: records end in CRLF"
    rows = list(csv.DictReader(raw.splitlines(keepends=True)))
    assert rows and list(rows[0]) == ["article", "start", "end", "label", "quote", "note", "kind", "id", "from", "to", "group"]
    assert {r["kind"] for r in rows} <= {"span", "relation", "document"}
    spans = [r for r in rows if r["kind"] == "span"]
    # Relations by span ids, document labels with their group, as the
    # sidecars have them.
    for rel in {r["article"] for r in rows}:
        want_rels, want_labels = RECORDS.get(rel, ([], []))
        mine = [r for r in rows if r["article"] == rel]
        quotes = {r["id"]: r["quote"] for r in mine if r["kind"] == "span"}
        got = sorted((r["label"], quotes[r["from"]], quotes[r["to"]]) for r in mine if r["kind"] == "relation")
        assert got == want_rels, (got, want_rels)
        got_labels = sorted(r["label"] for r in mine if r["kind"] == "document")
        assert got_labels == want_labels, (got_labels, want_labels)
        assert all(r["group"] for r in mine if r["kind"] == "document")
    for r in spans:
        start, end = int(r["start"]), int(r["end"])
        text = article(corpus, r["article"])
        assert text[start:end] == r["quote"]
        assert r["quote"] == quote_of(side[r["article"]], start, end, r["label"])
        want = next(a for a in side[r["article"]] if (a["start"], a["end"], a["label"]) == (start, end, r["label"]))
        assert r["note"] == want.get("note", ""), (r["note"], want)
    print(f"ok csv: {len(spans)} spans, {len(rows) - len(spans)} relation and document rows")


def check_brat(path, corpus, side, aligned):
    from pybrat.parser import BratParser

    examples = BratParser(error="raise").parse(path)
    with open(os.path.join(path, "annotation.conf"), encoding="utf-8") as f:
        conf = f.read()
    declared = set(conf.split("[entities]")[1].split("[relations]")[0].split())
    n = 0
    for ex in examples:
        rel = ex.id + ".txt" if not (ex.id.endswith(".md") or ex.id.endswith(".txt")) else ex.id
        text = article(corpus, rel)
        with open(os.path.join(path, ex.id + ".txt"), "rb") as f:
            assert f.read() == text.encode("utf-8"), "the .txt is the article byte for byte"
        for e in ex.entities:
            assert e.type in declared, e.type
            pieces = [text[s.start:s.end] for s in e.spans]
            assert e.mention == " ".join(pieces), (e.mention, pieces)
            start, end = min(s.start for s in e.spans), max(s.end for s in e.spans)
            q = quote_of(side[rel], start, end, e.type)
            assert text[start:end] == q
            n += 1
        want_rels, _ = RECORDS.get(rel, ([], []))
        got = sorted((r.type, r.arg1.mention, r.arg2.mention) for r in ex.relations)
        assert got == want_rels, (got, want_rels)
        declared_rels = conf.split("[relations]")[1].split("[events]")[0]
        for r in ex.relations:
            assert r.type + "\t" in declared_rels, r.type
    print(f"ok brat: {len(examples)} documents, {n} entities read by pybrat")


def conll_sentences(path):
    """Documents and sentences of (token, tag) of a CoNLL file: the token
    first, the tag last, -DOCSTART- lines between documents."""
    docs, sentences, cur = 0, [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                docs += 1
                continue
            if not line:
                if cur:
                    sentences.append(cur)
                cur = []
                continue
            cols = line.split(" ")
            token, tag = cols[0], cols[-1]
            assert token and len(cols) in (2, 4), line
            cur.append((token, tag))
    if cur:
        sentences.append(cur)
    return docs, sentences


def check_tags(name, docs, sentences, side, aligned):
    """seqeval reads the tags as strict IOB2; with --aligned, every entity's
    tokens are a sidecar quote."""
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    tags = [[t for _, t in s] for s in sentences]
    # Valid IOB2: every I-X follows B-X or I-X in its sentence.
    for s in tags:
        for prev, tag in zip(["O"] + s, s):
            assert tag == "O" or tag[:2] in ("B-", "I-"), tag
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:] and prev != "O", (prev, tag)
    # seqeval's strict IOB2 reading finds the same entities as its lenient one.
    strict = sum(len(e) for e in Entities(tags, IOB2).entities)
    assert strict == len(get_entities(tags)), (strict, len(get_entities(tags)))
    assert f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0
    found = 0
    if aligned:
        quotes = {"".join(a["quote"].split()) for anns in side.values() for a in anns}
        for s in sentences:
            for label, i, j in get_entities([t for _, t in s]):
                joined = "".join(tok for tok, _ in s[i:j + 1])
                assert joined in quotes, (label, joined)
                found += 1
        assert found > 0
    print(f"ok {name}: {docs} documents, {len(sentences)} sentences, {found} entities checked with seqeval")


def check_conll(path, corpus, side, aligned):
    docs, sentences = conll_sentences(path)
    check_tags("conll", docs, sentences, side, aligned)


def check_conll2003(path, corpus, side, aligned):
    with open(path, encoding="utf-8") as f:
        first = f.readline().rstrip("\n")
    assert first == "-DOCSTART- -X- -X- O", first
    docs, sentences = conll_sentences(path)
    check_tags("conll2003", docs, sentences, side, aligned)


def conll_documents(path):
    """The tokens of each document of a CoNLL file, in order."""
    docs, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                cur = []
                docs.append(cur)
            elif line:
                cur.append(line.split(" ")[0])
    return docs


def check_conll2003_spacy(path, corpus, side, aligned):
    """As conll2003, and every document's tokens are exactly spaCy's
    English tokenizer's tokens (white space left out) of one article."""
    import spacy

    check_conll2003(path, corpus, side, aligned)
    nlp = spacy.blank("en")
    theirs = set()
    for dirpath, _, files in os.walk(corpus):
        for name in files:
            doc = nlp(article(dirpath, name))
            theirs.add(tuple(t.text for t in doc if not t.is_space))
    docs = conll_documents(path)
    for tokens in docs:
        assert tuple(tokens) in theirs, tokens[:20]
    print(f"ok conll2003-spacy: {len(docs)} documents cut as spaCy {spacy.__version__} cuts them")


def check_hf(path, corpus, side, aligned):
    from datasets import load_dataset

    ds = load_dataset("json", data_files=path, split="train")
    assert {"tokens", "ner_tags"} <= set(ds.column_names), ds.column_names
    sentences = []
    articles = set()
    for row in ds:
        assert len(row["tokens"]) == len(row["ner_tags"]), row
        articles.add(row["article"])
        text = article(corpus, row["article"])
        # Every token is the article's text.
        for tok in row["tokens"]:
            assert tok and tok in text, tok
        sentences.append(list(zip(row["tokens"], row["ner_tags"])))
    check_tags("hf", len(articles), sentences, side, aligned)


def check_labelstudio(path, corpus, side, aligned):
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    spans = 0
    for task in tasks:
        text = task["data"]["text"]
        rel = task["data"]["article"]
        assert text == article(corpus, rel), rel
        results = task["annotations"][0]["result"]
        regions = {r["id"]: r for r in results if r["type"] == "labels"}
        for r in regions.values():
            v = r["value"]
            assert text[v["start"]:v["end"]] == v["text"], (rel, v)
            assert quote_of(side[rel], v["start"], v["end"], v["labels"][0]) == v["text"]
            spans += 1
        rels, labels = RECORDS.get(rel, ([], []))
        got = sorted(
            (r["labels"][0], regions[r["from_id"]]["value"]["text"], regions[r["to_id"]]["value"]["text"])
            for r in results if r["type"] == "relation"
        )
        assert got == rels, (got, rels)
        assert sorted(c for r in results if r["type"] == "choices" for c in r["value"]["choices"]) == labels
    # Label Studio's own converter turns the tasks into CoNLL-2003.
    import tempfile
    from label_studio_converter import Converter

    names = sorted({r["value"]["labels"][0] for t in tasks for r in t["annotations"][0]["result"] if r["type"] == "labels"})
    config = '<View><Labels name="label" toName="text">' + "".join(
        f'<Label value="{n}"/>' for n in names) + '</Labels><Text name="text" value="$text"/></View>'
    out = tempfile.mkdtemp()
    Converter(config, project_dir=out, download_resources=False).convert_to_conll2003(path, out, is_dir=False)
    docs, sentences = conll_sentences(os.path.join(out, "result.conll"))
    from seqeval.metrics.sequence_labeling import get_entities
    entities = sum(len(get_entities([t for _, t in s])) for s in sentences)
    assert entities > 0, "the converter found no entity"
    print(f"ok labelstudio: {len(tasks)} tasks, {spans} regions read, {entities} entities after label-studio-converter")


def check_spacy(path, corpus, side, aligned):
    """spaCy reads the DocBin: each Doc's text is its article's, its
    entities the sidecar's spans (overlaps resolved, the longer wins), its
    cats the document labels; then `spacy train` trains on it."""
    import subprocess
    import tempfile

    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    texts = {}
    for rel in side:
        texts[article(corpus, rel)] = rel
    ents = 0
    for doc in docs:
        rel = texts[doc.text]
        want = longest_first([(a["start"], a["end"], a["label"]) for a in side[rel]])
        got = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert got == want, (rel, got, want)
        assert sorted(doc.cats) == RECORDS.get(rel, ([], []))[1], (rel, doc.cats)
        ents += len(got)
    assert len(docs) == len(side), (len(docs), len(side))
    out = tempfile.mkdtemp()
    cfg = os.path.join(out, "config.cfg")
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", cfg, "--lang", "en",
                    "--pipeline", "ner", "--force"], check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-m", "spacy", "train", cfg, "--output", os.path.join(out, "model"),
                           "--paths.train", path, "--paths.dev", path,
                           "--training.max_steps", "4", "--training.eval_frequency", "2"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"ok spacy: {len(docs)} docs, {ents} entities read by spaCy; spacy train accepted it")


def check_w3c(path, corpus, side, aligned):
    from pyld import jsonld

    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "anno-context.jsonld"), encoding="utf-8") as f:
        context = json.load(f)

    def loader(url, options=None):
        # The W3C context cannot be fetched here: serve a local one.
        assert url in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    expanded = jsonld.expand(doc, {"documentLoader": loader})
    OA = "http://www.w3.org/ns/oa#"
    AS = "http://www.w3.org/ns/activitystreams#"
    coll = expanded[0]
    assert AS + "OrderedCollection" in coll["@type"]
    items = coll[AS + "first"][0][AS + "items"][0]["@list"]
    assert len(items) == doc["total"] > 0
    ids = {it["@id"] for it in items}
    links = 0
    for it in items:
        assert OA + "Annotation" in it["@type"]
        motivation = {m["@id"] for m in it.get(OA + "motivatedBy", [])}
        if OA + "linking" in motivation:
            # A relation: its two targets are annotations of this page.
            targets = [t["@id"] for t in it[OA + "hasTarget"]]
            assert len(targets) == 2 and all(t in ids for t in targets), targets
            links += 1
            continue
        if OA + "classifying" in motivation:
            assert it[OA + "hasTarget"][0]["@id"].startswith("urn:gloss:article:")
            continue
        target = it[OA + "hasTarget"][0]
        source = target[OA + "hasSource"][0]["@id"]
        assert source.startswith("urn:gloss:article:")
        from urllib.parse import unquote
        rel = unquote(source[len("urn:gloss:article:"):])
        text = article(corpus, rel)
        sels = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
        quote = sels[OA + "TextQuoteSelector"][OA + "exact"][0]["@value"]
        pos = sels[OA + "TextPositionSelector"]
        start = int(pos[OA + "start"][0]["@value"])
        end = int(pos[OA + "end"][0]["@value"])
        assert text[start:end] == quote
        prefix = sels[OA + "TextQuoteSelector"][OA + "prefix"][0]["@value"]
        suffix = sels[OA + "TextQuoteSelector"][OA + "suffix"][0]["@value"]
        assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
        bodies = it[OA + "hasBody"]
        purposes = {b[OA + "hasPurpose"][0]["@id"]: b["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0]["@value"] for b in bodies}
        label = purposes[OA + "tagging"]
        assert quote == quote_of(side[rel], start, end, label)
        want = next(a for a in side[rel] if (a["start"], a["end"], a["label"]) == (start, end, label))
        assert purposes.get(OA + "commenting") == want.get("note"), (purposes, want)
    want = sum(len(r[0]) for r in RECORDS.values())
    assert links == want, (links, want)
    print(f"ok w3c: {len(items)} annotations expanded by pyld, {links} linking")


if __name__ == "__main__":
    fmt, path, corpus, annotations = sys.argv[1:5]
    aligned = "--aligned" in sys.argv[5:]
    RECORDS.update(records(annotations))
    globals()["check_" + fmt](path, corpus, sidecars(annotations), aligned)
