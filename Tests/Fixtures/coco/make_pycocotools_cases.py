"""Writes pycocotools_cases.json: random box-detection cases and the figures pycocotools' COCOeval gives them.

Usage: python3 make_pycocotools_cases.py [out.json]   (needs numpy and pycocotools: pip install pycocotools)

Coordinates are multiples of 1/8 and scores multiples of 1/64, so float32 (DigitMl's boxes) and float64 (pycocotools)
hold the same values and the two evaluations see identical inputs. Stats are pycocotools' 12 summary figures, for all
classes and for each class alone (params.catIds = [k]).
"""
import contextlib
import io
import json
import random
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

if not hasattr(np, "float"):
    np.float = float  # older cocoeval.py versions use np.float, removed in numpy 1.24


def eighths(x):
    return round(x * 8) / 8


def make_case(seed):
    rng = random.Random(seed)
    classes = 3
    images, gt, dt = [], [], []
    for i in range(rng.randint(1, 12)):
        w, h = rng.randint(64, 400), rng.randint(64, 400)
        images.append([w, h])
        boxes, dets = [], []
        for _ in range(rng.randint(0, 6)):
            bw, bh = eighths(5 + rng.random() * min(150, w - 6)), eighths(5 + rng.random() * min(150, h - 6))
            x0, y0 = eighths(rng.random() * (w - bw)), eighths(rng.random() * (h - bh))
            boxes.append([rng.randrange(classes), x0, y0, x0 + bw, y0 + bh])
        for c, x0, y0, x1, y1 in boxes:
            for _ in range(rng.randint(0, 2)):  # misses, hits and duplicates, sometimes of the wrong class
                j = 0.3 * rng.random()
                bw, bh = (x1 - x0) * (1 + (rng.random() - 0.5) * j), (y1 - y0) * (1 + (rng.random() - 0.5) * j)
                cx, cy = (x0 + x1) / 2 + (rng.random() - 0.5) * j * (x1 - x0), (y0 + y1) / 2 + (rng.random() - 0.5) * j * (y1 - y0)
                dc = rng.randrange(classes) if rng.random() < 0.1 else c
                dets.append([dc, rng.randint(0, 64) / 64, eighths(cx - bw / 2), eighths(cy - bh / 2), eighths(cx + bw / 2), eighths(cy + bh / 2)])
        for _ in range(rng.randint(0, 3)):  # false positives of any size
            x0, y0 = eighths(rng.random() * w), eighths(rng.random() * h)
            dets.append([rng.randrange(classes), rng.randint(0, 64) / 64, x0, y0, x0 + eighths(3 + rng.random() * 120), y0 + eighths(3 + rng.random() * 120)])
        if seed % 5 == 0 and i == 0:  # crowded image: more than 100 detections of one class
            for k in range(130):
                x0, y0 = eighths(rng.random() * (w - 21)), eighths(rng.random() * (h - 20))
                dets.append([0, rng.randint(0, 1024) / 1024, x0, y0, x0 + 20, y0 + 20])
                if k % 3 == 0:
                    boxes.append([0, x0 + 1, y0, x0 + 21, y0 + 20])
        gt.append(boxes)
        dt.append(dets)
    return {"seed": seed, "classes": classes, "images": images, "gt": gt, "dt": dt}


def evaluate(case):
    categories = [{"id": k + 1, "name": str(k)} for k in range(case["classes"])]
    dataset = {"images": [], "annotations": [], "categories": categories}
    results = []
    for i, (w, h) in enumerate(case["images"]):
        dataset["images"].append({"id": i + 1, "width": w, "height": h})
        for c, x0, y0, x1, y1 in case["gt"][i]:
            dataset["annotations"].append({"id": len(dataset["annotations"]) + 1, "image_id": i + 1, "category_id": c + 1,
                                           "bbox": [x0, y0, x1 - x0, y1 - y0], "area": (x1 - x0) * (y1 - y0), "iscrowd": 0})
        for c, s, x0, y0, x1, y1 in case["dt"][i]:
            results.append({"image_id": i + 1, "category_id": c + 1, "bbox": [x0, y0, x1 - x0, y1 - y0], "score": s})
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO()
        truth.dataset = dataset
        truth.createIndex()
        detections = truth.loadRes(results)
        evaluation = COCOeval(truth, detections, "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
        overall = [float(v) for v in evaluation.stats]
        per_class = []
        for k in range(case["classes"]):
            evaluation.params.catIds = [k + 1]
            evaluation.evaluate()
            evaluation.accumulate()
            evaluation.summarize()
            per_class.append([float(v) for v in evaluation.stats])
    return overall, per_class


cases = []
for seed in range(1, 21):
    case = make_case(seed)
    if not any(case["dt"]):
        continue  # loadRes needs at least one detection
    case["stats"], case["stats_per_class"] = evaluate(case)
    cases.append(case)
with open(sys.argv[1] if len(sys.argv) > 1 else "pycocotools_cases.json", "w") as out:
    json.dump({"source": "pycocotools COCOeval (iouType bbox, default params)", "cases": cases}, out, separators=(",", ":"))
print(len(cases), "cases")
