# The benchmarks' dataset: the first N demo images, each to be scaled to about 12 megapixels
# (a photo's size), with their shapes scaled with them into a COCO file in OUT. Prints one line
# per image for the caller's convert: source, destination, WxH.
# Usage: python3 bench/bigset.py DEMO OUT N
import json, math, os, sys
demo, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
doc = json.load(open(os.path.join(demo, "annotations.json")))
images = sorted(doc["images"], key=lambda i: i["file_name"])[:n]
keep = {i["id"] for i in images}
scale = {}
for im in images:
    f = math.sqrt(12e6 / (im["width"] * im["height"]))
    w, h = round(im["width"] * f), round(im["height"] * f)
    scale[im["id"]] = (w / im["width"], h / im["height"])
    src = os.path.join(demo, "images", im["file_name"])
    if not os.path.exists(src):
        src = os.path.join(demo, im["file_name"])
    print("%s\t%s\t%dx%d" % (src, os.path.join(out, im["file_name"]), w, h))
    im["width"], im["height"] = w, h
anns = []
for a in doc["annotations"]:
    if a["image_id"] not in keep:
        continue
    sx, sy = scale[a["image_id"]]
    x, y, w, h = a["bbox"]
    a["bbox"] = [x * sx, y * sy, w * sx, h * sy]
    a["area"] = a.get("area", 0) * sx * sy
    seg = a.get("segmentation")
    if isinstance(seg, list):
        a["segmentation"] = [[v * (sx if k % 2 == 0 else sy) for k, v in enumerate(p)] for p in seg]
    elif seg is not None:
        del a["segmentation"]  # an RLE mask: its box is enough here
    if "keypoints" in a:
        kp = a["keypoints"]
        a["keypoints"] = [v * sx if k % 3 == 0 else v * sy if k % 3 == 1 else v for k, v in enumerate(kp)]
    anns.append(a)
doc["images"], doc["annotations"] = images, anns
json.dump(doc, open(os.path.join(out, "annotations.json"), "w"))
