#!/usr/bin/env python3
"""Writes a synthetic COCO file of N images with about 3 boxes each, in the order COCO's own
files use (info, licenses, images, annotations, categories last), the annotations not grouped
by image, some images reviewed and tagged. Used by bench/scale.sh; no image files are made.

usage: gen_coco.py N OUT.json [--changed K]   (--changed: the same file with K images' boxes moved)
"""
import json
import sys

TAGS = ["night", "day", "rain", "fog", "blurry", "crowd", "nice", "noisy"]
STATUSES = ["pending", "accepted", "rejected"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    changed = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--changed" else 0
    cats = [{"id": i + 1, "name": "class%02d" % i if i else "car", "supercategory": "thing"}
            for i in range(80)]
    with open(out, "w") as f:
        f.write('{"info": {"description": "bench %d"}, "licenses": [], "images": [' % n)
        for i in range(n):
            img = {"id": i + 1, "file_name": "img/%07d.jpg" % (i + 1), "width": 640,
                   "height": 480}
            if i % 10 == 0:
                img["annotty_status"] = STATUSES[(i // 10) % 3]
            if i % 7 == 0:
                img["annotty_tags"] = [TAGS[i % len(TAGS)]]
            f.write(("," if i else "") + json.dumps(img, separators=(",", ":")))
        f.write('], "annotations": [')
        total = 3 * n
        for k in range(total):
            image = (k * 7919) % n + 1
            shift = 1 if image <= changed else 0
            ann = {"id": k + 1, "image_id": image, "category_id": (k * 31) % 80 + 1,
                   "bbox": [10 + k % 200 + shift, 20 + k % 150, 30 + k % 50, 40 + k % 60],
                   "area": 1200.0, "iscrowd": 0}
            f.write(("," if k else "") + json.dumps(ann, separators=(",", ":")))
        f.write('], "categories": ' + json.dumps(cats, separators=(",", ":")) + "}\n")


if __name__ == "__main__":
    main()
