"""Seeds for an empty stand-in state: `small` (the demo organization) and N (a benchmark dataset).

Everything here is deterministic: ids come from store.sid(kind, n), sizes and shapes from a
random.Random with a fixed seed, so two servers seeded alike answer byte for byte alike.
"""

import json
import random

from store import sid

K_ORG, K_USER, K_LAKE, K_DATA, K_DATASET, K_VERSION, K_ASSET, K_LABEL = 1, 2, 3, 4, 5, 6, 7, 8
K_ANN, K_SHAPE, K_TAG, K_CAMPAIGN, K_STEP, K_ASSIGN, K_CONNECTOR = 9, 10, 11, 12, 13, 14, 15
BENCH_BASE = 0x10000000
RETURNED = (3, 7, 11)  # cars/v1 assets whose review sent them back to alice
STAMP = "2024-01-01T00:00:00Z"

DATA_TAGS = ("outdoor", "indoor", "night", "day", "urban", "rural", "blurry")
CAR_LABELS = ("car", "truck", "bus", "person", "bicycle", "wheel")
FIELD_LABELS = ("field", "road", "tree", "building", "water")
STATUSES = ("PENDING", "ACCEPTED", "REFUSED", "SKIPPED")
INSTRUCTIONS = ("Draw a tight box around every vehicle and person. Mark wheels with points, "
                "lane edges with lines, and give the scene one classification (day or night).")


class Seeder:
    """Collects rows per table, then writes them with executemany in one transaction."""

    def __init__(self):
        self.rows = {}
        self.n = {}

    def next(self, kind):
        self.n[kind] = self.n.get(kind, 0) + 1
        return sid(kind, self.n[kind])

    def add(self, table, *row):
        self.rows.setdefault(table, []).append(row)

    def flush(self, c):
        for table, rows in self.rows.items():
            marks = ",".join("?" * len(rows[0]))
            c.executemany("INSERT INTO %s VALUES(%s)" % (table, marks), rows)


def _base(s, reviewers):
    """Organization, users and the default datalake; returns (org_id, lake_id, user ids)."""
    org = sid(K_ORG, 1)
    s.add("orgs", org, "demo-org", sid(K_CONNECTOR, 1))
    users = {}
    names = ["alice", "bob"] + (["carol"] if reviewers >= 2 else [])
    for i, name in enumerate(names, 1):
        users[name] = sid(K_USER, i)
        s.add("users", users[name], name, name + "-token")
        s.add("members", org, users[name], "ADMIN" if name == "alice" else "USER")
    lake = sid(K_LAKE, 1)
    s.add("datalakes", 1, lake, org, "demo-org datalake", sid(K_CONNECTOR, 1), 1)
    return org, lake, users


def _data(s, lake, n, filename, status="DONE", rng=None):
    rng = rng or random.Random(n)
    width = rng.randrange(320, 1025) if status == "DONE" else 0
    height = rng.randrange(240, 769) if status == "DONE" else 0
    data_id = sid(K_DATA, n)
    meta = json.dumps({"longitude": round(2.0 + n / 1000, 4), "latitude": 48.85})
    custom = json.dumps({"camera": "cam-%d" % (n % 3), "index": n})
    s.add("datas", n, data_id, lake, filename, "data/" + filename, "IMAGE", "image/png",
          status, width, height, meta, custom, STAMP)
    return data_id


def _tag(s, scope, target_type, name):
    tag_id = s.next(K_TAG)
    s.add("tags", s.n[K_TAG], tag_id, name, target_type, scope, STAMP)
    return tag_id


def _labels(s, version, names):
    out = {}
    for name in names:
        out[name] = s.next(K_LABEL)
        s.add("labels", s.n[K_LABEL], out[name], version, name, None)
    return out


def _shape(s, ann, kind, label, text=None, box=(None, None, None, None), coords=None, order=None):
    shape_id = s.next(K_SHAPE)
    s.add("shapes", s.n[K_SHAPE], shape_id, ann, kind, label, text, *box,
          json.dumps(coords) if coords is not None else None, order)


def _boxes(s, rng, ann, labels, names, w, h, count):
    for j in range(count):
        bw, bh = rng.randrange(w // 10, w // 3), rng.randrange(h // 10, h // 3)
        x, y = rng.randrange(0, w - bw), rng.randrange(0, h - bh)
        text = "AB-%03d-CD" % rng.randrange(1000) if j == 0 and rng.random() < 0.3 else None
        _shape(s, ann, "rectangle", labels[rng.choice(names)], text, (x, y, bw, bh))


def _poly(rng, w, h, n):
    cx, cy = rng.randrange(w // 4, 3 * w // 4), rng.randrange(h // 4, 3 * h // 4)
    return [[max(0, min(w - 1, cx + rng.randrange(-w // 5, w // 5))),
             max(0, min(h - 1, cy + rng.randrange(-h // 5, h // 5)))] for _ in range(n)]


class Dataset:
    def __init__(self, s, org, name, versions):
        self.id = s.next(K_DATASET)
        s.add("datasets", s.n[K_DATASET], self.id, org, name, "The %s dataset" % name, STAMP)
        self.versions = {}
        for vname, vtype in versions:
            vid = s.next(K_VERSION)
            s.add("versions", s.n[K_VERSION], vid, self.id, vname, "%s %s" % (name, vname),
                  vtype, 0, STAMP)
            self.versions[vname] = vid


def _asset(s, version, data_id):
    asset_id = s.next(K_ASSET)
    s.add("assets", s.n[K_ASSET], asset_id, version, data_id, STAMP)
    return asset_id


def _annotation(s, asset, version, status, duration):
    ann = s.next(K_ANN)
    s.add("annotations", s.n[K_ANN], ann, asset, version, duration, status, STAMP)
    return ann


def _v1_status(i):
    """Every status, and agreeing with the campaign: returned work REFUSED, reviewed ACCEPTED."""
    if i in RETURNED:
        return "REFUSED"
    if 45 <= i < 53:
        return "ACCEPTED"
    return STATUSES[i % 4]


def _cars_v1(s, version, datas, sizes, tags):
    """60 assets with every shape kind and status; returns the asset ids in order."""
    labels = _labels(s, version, CAR_LABELS + ("lane", "day", "night"))
    rng = random.Random(101)
    assets = []
    for i, data_id in enumerate(datas):
        asset = _asset(s, version, data_id)
        assets.append(asset)
        w, h = sizes[data_id]
        if i % 3 == 0:
            s.add("tag_links", tags[i % len(tags)], asset)
        if i % 10 == 9:
            continue  # a few assets with no annotation at all
        if i % 7 == 0:  # an older annotation, so that "latest" means something
            old = _annotation(s, asset, version, "REFUSED", 12.5)
            _boxes(s, rng, old, labels, CAR_LABELS[:3], w, h, 1)
        ann = _annotation(s, asset, version, _v1_status(i), round(5 + rng.random() * 60, 2))
        _boxes(s, rng, ann, labels, CAR_LABELS[:5], w, h, 1 + rng.randrange(4))
        if i % 4 == 1:
            _shape(s, ann, "polygon", labels["car"], None, coords=_poly(rng, w, h, 5))
        if i % 4 == 2:
            _shape(s, ann, "line", labels["lane"], coords=_poly(rng, w, h, 3))
        if i % 3 == 1:
            for order in range(2):
                _shape(s, ann, "point", labels["wheel"], None,
                       coords=[rng.randrange(w), rng.randrange(h)], order=order)
        if i % 2 == 0:
            _shape(s, ann, "classification", labels["day" if i % 4 == 0 else "night"])
    return assets


def _cars_v2(s, version, datas, sizes):
    labels = _labels(s, version, CAR_LABELS)
    rng = random.Random(202)
    for i, data_id in enumerate(datas):
        asset = _asset(s, version, data_id)
        w, h = sizes[data_id]
        ann = _annotation(s, asset, version, "ACCEPTED" if i % 5 else "PENDING", 20.0)
        _boxes(s, rng, ann, labels, CAR_LABELS[:4], w, h, 1 + rng.randrange(3))


def _fields(s, version, datas, sizes):
    labels = _labels(s, version, FIELD_LABELS)
    rng = random.Random(303)
    for i, data_id in enumerate(datas):
        asset = _asset(s, version, data_id)
        w, h = sizes[data_id]
        ann = _annotation(s, asset, version, STATUSES[(i + 1) % 4], 40.0)
        for _ in range(1 + rng.randrange(3)):
            _shape(s, ann, "polygon", labels[rng.choice(FIELD_LABELS)], None,
                   coords=_poly(rng, w, h, 4 + rng.randrange(5)))
        if i % 3 == 0:
            _shape(s, ann, "line", labels["road"], None, coords=_poly(rng, w, h, 4))
        if i % 4 == 0:
            _shape(s, ann, "classification", labels["field"])
        if i % 5 == 0:
            _shape(s, ann, "point", labels["tree"], coords=[rng.randrange(w), rng.randrange(h)],
                   order=0)


def _assign(s, asset, step, user, status, rejected=0, comment=None, current=0):
    a = s.next(K_ASSIGN)
    s.add("assignments", s.n[K_ASSIGN], a, asset, step, user, status, rejected, comment,
          current, STAMP, STAMP)


def _campaign(s, org, version, assets, users):
    """cars/v1's campaign: alice annotates, bob (and carol) review; work in every state."""
    camp = s.next(K_CAMPAIGN)
    s.add("campaigns", s.n[K_CAMPAIGN], camp, version, org, None, "Vehicles, first pass",
          INSTRUCTIONS, None, 0, 0, 0, STAMP)
    ann_step, rev_step = s.next(K_STEP), None
    s.add("steps", s.n[K_STEP], ann_step, camp, "Annotate", "ANNOTATION", 0, "Draw the boxes", None)
    rev_step = s.next(K_STEP)
    s.add("steps", s.n[K_STEP], rev_step, camp, "Review", "REVIEW", 1, "Check the boxes", None)
    s.add("step_assignees", ann_step, users["alice"], 1.0)
    reviewers = [users["bob"]] + ([users["carol"]] if "carol" in users else [])
    for r in reviewers:
        s.add("step_assignees", rev_step, r, 1.0)
    alice = users["alice"]
    for i, asset in enumerate(assets):
        if i >= 57:
            continue  # not in the campaign
        reviewer = reviewers[i % len(reviewers)]
        if i in RETURNED:  # returned work: done once, rejected, back with alice
            _assign(s, asset, ann_step, alice, "SUBMITTED")
            _assign(s, asset, rev_step, reviewer, "REJECTED", 0, "The truck's box is too loose")
            _assign(s, asset, ann_step, alice, "PENDING", 1, "The truck's box is too loose", 1)
        elif i < 30:
            _assign(s, asset, ann_step, alice, "PENDING", current=1)
        elif i < 45:
            _assign(s, asset, ann_step, alice, "SUBMITTED")
            _assign(s, asset, rev_step, reviewer, "PENDING", current=1)
        elif i < 53:
            _assign(s, asset, ann_step, alice, "SUBMITTED")
            _assign(s, asset, rev_step, reviewer, "ACCEPTED", current=1)
        else:
            _assign(s, asset, ann_step, None, "SKIPPED", current=1)
    return camp


def seed_small(c, reviewers=1):
    """The demo organization of the tests and `make demo-picsellia`."""
    s = Seeder()
    org, lake, users = _base(s, reviewers)
    data_tags = [_tag(s, lake, "DATA", name) for name in DATA_TAGS]
    datas, sizes = [], {}
    for n in range(1, 205):
        status = "DONE" if n <= 200 else ("PENDING", "COMPUTING", "ERROR", "PENDING")[n - 201]
        kind = ("street", "road", "field", "yard")[n % 4]
        data_id = _data(s, lake, n, "%s_%04d.png" % (kind, n), status)
        row = s.rows["datas"][-1]
        sizes[data_id] = (row[8], row[9])
        if status == "DONE":
            datas.append(data_id)
        for k in range(1 + n % 3):
            s.add("tag_links", data_tags[(n + 2 * k) % len(data_tags)], data_id)
    cars = Dataset(s, org, "cars", (("v1", "OBJECT_DETECTION"), ("v2", "OBJECT_DETECTION")))
    fields = Dataset(s, org, "fields", (("v1", "SEGMENTATION"),))
    v1 = cars.versions["v1"]
    asset_tags = [_tag(s, v1, "ASSET", name) for name in ("hard", "occluded", "reviewed")]
    _tag(s, cars.versions["v2"], "ASSET", "hard")
    v1_assets = _cars_v1(s, v1, datas[:60], sizes, asset_tags)
    _cars_v2(s, cars.versions["v2"], datas[30:70], sizes)
    _fields(s, fields.versions["v1"], datas[100:150], sizes)
    _campaign(s, org, v1, v1_assets, users)
    _tag(s, org, "DATASET", "demo")
    s.flush(c)


def seed_bench(c, count):
    """A dataset `bench` (version v1) of COUNT assets with a few boxes each, fast."""
    s = Seeder()
    org, lake, users = _base(s, 1)
    bench = Dataset(s, org, "bench", (("v1", "OBJECT_DETECTION"),))
    version = bench.versions["v1"]
    labels = _labels(s, version, CAR_LABELS[:5])
    s.flush(c)
    label_ids = list(labels.values())
    rng = random.Random(404)
    sizes = [(640 + 32 * (i % 11), 480 + 24 * (i % 7)) for i in range(77)]
    c.executemany("INSERT INTO datas VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  ((BENCH_BASE + i, sid(K_DATA, BENCH_BASE + i), lake, "bench_%07d.png" % i,
                    "data/bench_%07d.png" % i, "IMAGE", "image/png", "DONE",
                    sizes[i % 77][0], sizes[i % 77][1], None, None, STAMP)
                   for i in range(count)))
    c.executemany("INSERT INTO assets VALUES(?,?,?,?,?)",
                  ((BENCH_BASE + i, sid(K_ASSET, BENCH_BASE + i), version,
                    sid(K_DATA, BENCH_BASE + i), STAMP) for i in range(count)))
    c.executemany("INSERT INTO annotations VALUES(?,?,?,?,?,?,?)",
                  ((BENCH_BASE + i, sid(K_ANN, BENCH_BASE + i), sid(K_ASSET, BENCH_BASE + i),
                    version, 10.0, STATUSES[i % 4], STAMP) for i in range(count)))

    def boxes():
        for i in range(count):
            w, h = sizes[i % 77]
            for j in range(1 + i % 3):
                n = BENCH_BASE + 4 * i + j
                x, y = rng.randrange(w // 2), rng.randrange(h // 2)
                yield (n, sid(K_SHAPE, n), sid(K_ANN, BENCH_BASE + i), "rectangle",
                       label_ids[(i + j) % 5], None, x, y, 20 + (i * 7 + j) % (w // 3),
                       20 + (i * 5 + j) % (h // 3), None, None)
    c.executemany("INSERT INTO shapes VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", boxes())
