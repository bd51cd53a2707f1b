#!/usr/bin/env python3
"""Scores biaslens's stories against hand labels: pairwise precision/recall/F1 and B-cubed.

    story_eval.py LABELS.csv STORY_ARTICLES.csv

LABELS has digest_id, position, story; STORY_ARTICLES is the analyze output. Prints the
clustering's scores and those of the baseline (exact normalised title), over the labelled
articles only.
"""
import csv, itertools, sys

def scores(pred, gold):
    keys = list(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(keys, 2):
        p, g = pred[a] == pred[b], gold[a] == gold[b]
        tp += p and g; fp += p and not g; fn += g and not p
    P = tp / (tp + fp) if tp + fp else 1.0
    R = tp / (tp + fn) if tp + fn else 1.0
    bp = br = 0.0
    for k in keys:
        same_p = {x for x in keys if pred[x] == pred[k]}
        same_g = {x for x in keys if gold[x] == gold[k]}
        both = len(same_p & same_g)
        bp += both / len(same_p); br += both / len(same_g)
    bp /= len(keys); br /= len(keys)
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0
    return P, R, f(P, R), bp, br, f(bp, br)

labels, arts = sys.argv[1], sys.argv[2]
gold = {(r["digest_id"], r["position"]): r["story"] for r in csv.DictReader(open(labels, encoding="utf-8"))}
pred, base = {}, {}
for r in csv.DictReader(open(arts, encoding="utf-8")):
    k = (r["digest_id"], r["position"])
    if k in gold:
        pred[k] = r["story_id"]; base[k] = r["normalised_title"]
assert len(pred) == len(gold), f"{len(gold) - len(pred)} labelled articles missing"
print("method          pair-P pair-R pair-F1  B3-P   B3-R   B3-F1")
for name, p in [("clustering", pred), ("exact title", base)]:
    print(f"{name:15} " + " ".join(f"{v:6.3f}" for v in scores(p, gold)))
