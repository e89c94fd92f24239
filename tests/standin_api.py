"""Checks of the stand-in Picsellia server against the API spec, printed as TAP lines.

Run by tests/standin_api.sh, which started one seeded server (its URL in argv); this module
starts the others it needs (expiring URLs, faults, a restart) itself. The last check replays
every request of the spec's SDK trace against the seeded server.
"""

import gzip
import http.client
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "standin", "picsellia.py")
TRACE = os.environ.get("PICSELLIA_TRACE",
                       os.path.join(HERE, "..", "..", "shared", "spec", "picsellia-sdk-trace.jsonl"))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Tap:
    def __init__(self, start):
        self.n = start
        self.failed = False

    def ok(self, cond, desc, why=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, desc), flush=True)
        if not cond:
            self.failed = True
            if why:
                print("# " + str(why)[:2000].replace("\n", "\n# "), flush=True)
        return cond


class Client:
    """One keep-alive connection speaking to the stand-in as a user."""

    def __init__(self, url, token=None, org=None):
        self.url = urllib.parse.urlsplit(url)
        self.token = token
        self.org = org
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=20)
        return self.conn

    def raw(self, method, path, query=None, body=None, headers=None, raw_gzip=False):
        """(status, headers dict, body bytes); raises on a broken connection."""
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        hdrs = {"Content-Type": "application/json"}
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        if self.org:
            hdrs["X-Picsellia-Organization"] = self.org
        hdrs.update(headers or {})
        data = None if body is None else json.dumps(body).encode()
        try:
            conn = self._conn()
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
        except (http.client.HTTPException, OSError):
            self.conn = None
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.conn = None
        if resp.getheader("Content-Encoding") == "gzip" and not raw_gzip:
            payload = gzip.decompress(payload)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload

    def call(self, method, path, query=None, body=None, headers=None):
        status, hdrs, payload = self.raw(method, path, query, body, headers)
        try:
            obj = json.loads(payload) if payload else None
        except ValueError:
            obj = payload
        return status, obj

    def get(self, path, **query):
        return self.call("GET", path, query)


class Server:
    """A stand-in process started by this module."""

    def __init__(self, state, *args):
        self.proc = subprocess.Popen([sys.executable, SERVER, "--port", "0", "--state", state]
                                     + list(args), stdout=subprocess.PIPE, text=True)
        self.first_line = self.proc.stdout.readline().strip()
        self.url = self.first_line.replace("listening on ", "")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def has_keys(obj, *keys):
    return isinstance(obj, dict) and all(k in obj for k in keys)


def data_ok(d):
    """spec §11.2: required keys of a data item."""
    if not has_keys(d, "id", "type", "upload_status", "object_name", "filename", "content_type"):
        return False
    if d["upload_status"] == "DONE":
        return isinstance(d.get("meta"), dict) and isinstance(d["meta"].get("width"), int) \
            and isinstance(d["meta"].get("height"), int) and d["meta"]["width"] > 0
    return True


def shape_ok(s, kind):
    extra = {"rectangle": ("x", "y", "w", "h"), "polygon": ("polygon",), "line": ("line",),
             "point": ("point", "order"), "classification": ()}[kind]
    return has_keys(s, "id", "label", "text", *extra) and has_keys(s["label"], "id", "name")


def png_size(body):
    if body[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", body[16:24])


def storage_get(url, headers=None):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""),
                 headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


class Ids:
    """The seeded server's ids, found through the API the way a client finds them."""

    def __init__(self, c):
        self.org = c.get("/api/home/ping")[1]["default_organization"]
        self.lake = c.get("/api/organization/%s/datalake" % self.org)[1]["id"]
        users = c.get("/api/access/organization/%s/users" % self.org)[1]["users"]
        self.user = {u["username"]: u["id"] for u in users}
        self.cars = c.get("/api/organization/%s/datasets/find" % self.org, name="cars")[1]["id"]
        vs = c.get("/api/dataset/%s/versions" % self.cars)[1]["items"]
        self.v1 = next(v["id"] for v in vs if v["version"] == "v1")
        self.v2 = next(v["id"] for v in vs if v["version"] == "v2")
        self.campaign = c.get("/api/dataset/version/%s" % self.v1)[1]["annotation_campaign_id"]
        steps = c.get("/api/campaigns/annotation/%s/steps" % self.campaign)[1]["items"]
        self.step = {s["type"]: s["id"] for s in steps}


# ---- the checks -------------------------------------------------------------------------------

def check_auth(t, url):
    c = Client(url)
    status, body = c.get("/api/home/ping")
    t.ok(status == 401 and has_keys(body, "message", "detail"),
         "no token: 401 with {message, detail}", (status, body))
    status, _ = Client(url, "wrong-token").get("/api/home/ping")
    t.ok(status == 401, "a wrong token: 401", status)
    status, body = Client(url, "alice-token").get("/api/home/ping")
    t.ok(status == 200 and has_keys(body, "sdk_version", "username", "default_organization")
         and body["username"] == "alice", "ping has sdk_version, username, default_organization",
         body)
    status, body = Client(url, "alice-token").get("/api/nowhere")
    t.ok(status == 404 and has_keys(body, "message"), "an unknown route: 404 with a message")


def check_org(t, c, ids):
    status, org = c.get("/api/organization/%s" % ids.org)
    t.ok(status == 200 and org["name"] == "demo-org" and org["default_connector_id"],
         "organization by id, with its default connector", org)
    status, found = c.get("/api/organizations/find", name="demo-org")
    t.ok(status == 200 and found["id"] == ids.org, "organizations/find by name")
    t.ok(c.get("/api/organizations/find", name="nope")[0] == 404, "organizations/find miss: 404")
    status, users = c.get("/api/access/organization/%s/users" % ids.org, username="bob")
    t.ok(status == 200 and list(users) == ["users"] and
         [u["username"] for u in users["users"]] == ["bob"], "users as {\"users\": [...]}, "
         "filtered by username", users)
    bare = Client(c.url.geturl(), "alice-token")
    with_org = Client(c.url.geturl(), "alice-token", ids.org)
    t.ok(bare.get("/api/datalake/%s" % ids.lake)[0] == 200 and
         with_org.get("/api/datalake/%s" % ids.lake)[0] == 200,
         "requests with and without X-Picsellia-Organization")


def check_datalake(t, c, ids):
    status, lakes = c.get("/api/organization/%s/datalakes" % ids.org)
    t.ok(status == 200 and has_keys(lakes, "items", "count") and
         has_keys(lakes["items"][0], "id", "name", "connector_id"), "datalakes envelope", lakes)
    path = "/api/datalake/%s/datas" % ids.lake
    _, page1 = c.get(path, limit=50, offset=0)
    _, page2 = c.get(path, limit=50, offset=150)
    t.ok(page1["count"] == page2["count"] == 204 and len(page1["items"]) == 50 and
         len(page2["items"]) == 50, "data count is the total, independent of limit/offset",
         (page1["count"], page2["count"]))
    t.ok(all(data_ok(d) for d in page1["items"]), "every data item has the required keys")
    _, done = c.get(path, limit=1, upload_statuses=["DONE"], types=["IMAGE", "VIDEO"])
    _, every = c.get(path, limit=1, upload_statuses=["PENDING", "COMPUTING", "DONE", "ERROR"])
    t.ok(done["count"] == 200 and every["count"] == 204, "repeated upload_statuses keys filter",
         (done["count"], every["count"]))
    status, body = c.get(path, limit=1001)
    t.ok(status == 400 and has_keys(body, "message", "detail"), "limit over 1000: 400", body)
    _, anyof = c.get(path, limit=1, q='tags.name in ("night","rural")')
    _, night = c.get(path, limit=1, q='tags.name = "night"')
    _, both = c.get(path, limit=1, q='tags.name = "night" and tags.name = "rural"')
    t.ok(anyof["count"] > night["count"] > both["count"] >= 0, "q: any-of, one tag, all-of",
         (anyof["count"], night["count"], both["count"]))
    status, _ = c.get(path, q='tags.name ~ "x"')
    t.ok(status == 400, "q that cannot be read: 400")
    names = [d["filename"] for d in page1["items"][:3]]
    _, xget = c.call("XGET", path, body={"filenames": names, "upload_statuses": ["DONE"],
                                          "types": ["IMAGE"]})
    _, by_ids = c.call("XGET", path, body={"ids": [d["id"] for d in page1["items"][:2]]})
    t.ok(sorted(d["filename"] for d in xget["items"]) == sorted(names) and
         len(by_ids["items"]) == 2, "XGET datas with a JSON body (filenames, ids)")
    one = page1["items"][4]
    status, found = c.get(path + "/find", filename=one["filename"])
    t.ok(status == 200 and found["id"] == one["id"], "datas/find by filename")
    t.ok(c.get(path + "/find", filename="absent.png")[0] == 404, "datas/find miss: 404")
    status, data = c.get("/api/data/%s" % one["id"])
    t.ok(status == 200 and data["datalake_id"] == ids.lake and isinstance(data["tags"], list)
         and data["tags"] and has_keys(data["tags"][0], "id", "name", "target_type"),
         "data by id with datalake_id and tags", data)
    _, custom = c.get(path, limit=5, custom_metadata=json.dumps({"camera": "cam-1"}))
    t.ok(custom["count"] > 0 and all(d["custom_metadata"]["camera"] == "cam-1"
                                     for d in custom["items"]), "custom_metadata filter")


def check_tags(t, c, ids):
    base = "/api/datalake/%s/tags" % ids.lake
    status, tags = c.get(base)
    t.ok(status == 200 and tags["count"] >= 7, "datalake tags listed")
    status, tag = c.call("POST", base, body={"name": "checked"})
    t.ok(status in (200, 201) and tag["target_type"] == "DATA", "data tag created", tag)
    status, body = c.call("POST", base, body={"name": "checked"})
    t.ok(status == 409 and has_keys(body, "message"), "a tag name that exists: 409")
    t.ok(c.get(base + "/find", name="checked")[1]["id"] == tag["id"] and
         c.get(base + "/find", name="missing")[0] == 404, "tags/find, and its miss 404")
    _, datas = c.get("/api/datalake/%s/datas" % ids.lake, limit=3)
    targets = [d["id"] for d in datas["items"]]
    status, att = c.call("POST", "/api/tag/%s/attach" % tag["id"], body=targets)
    t.ok(status == 200 and att["count"] == 3 and att["tag"]["id"] == tag["id"],
         "attach takes a bare array; answers {tag, count}", att)
    _, again = c.get("/api/datalake/%s/datas" % ids.lake, limit=10, q='tags.name = "checked"')
    t.ok(again["count"] == 3, "attached data found by its tag")
    status, det = c.call("POST", "/api/tag/%s/detach" % tag["id"], body=targets[:1])
    t.ok(status == 200 and det["count"] == 1, "detach answers {tag, count}", det)
    t.ok(c.call("POST", "/api/tag/%s/attach" % tag["id"], body={"ids": targets})[0] == 400,
         "attach with an object body: 400")
    status, patched = c.call("PATCH", "/api/tag/%s" % tag["id"], body={"name": "checked2"})
    t.ok(status == 200 and patched["name"] == "checked2", "tag renamed")
    t.ok(c.call("DELETE", "/api/tag/%s" % tag["id"])[0] == 204 and
         c.get("/api/tag/%s" % tag["id"])[0] == 404, "tag deleted")


def check_datasets(t, c, ids):
    status, dss = c.get("/api/organization/%s/datasets" % ids.org)
    t.ok(status == 200 and sorted(d["name"] for d in dss["items"]) == ["cars", "fields"],
         "datasets cars and fields", dss)
    status, body = c.call("POST", "/api/organization/%s/datasets" % ids.org,
                          body={"name": "cars", "description": None})
    t.ok(status == 409, "a dataset name that exists: 409")
    _, v = c.get("/api/dataset/%s/versions/find" % ids.cars, version="v1")
    t.ok(has_keys(v, "id", "origin_name", "origin_id", "version", "type") and
         v["origin_name"] == "cars" and v["type"] == "OBJECT_DETECTION" and
         v["annotation_campaign_id"] == ids.campaign, "version v1: origin_name, type, campaign", v)
    t.ok(c.get("/api/dataset/%s/versions/find" % ids.cars, version="v9")[0] == 404,
         "versions/find miss: 404")
    _, f = c.get("/api/organization/%s/datasets/find" % ids.org, name="fields")
    _, fv = c.get("/api/dataset/%s/versions" % f["id"])
    t.ok(fv["items"][0]["type"] == "SEGMENTATION", "fields is a SEGMENTATION version")
    _, by_id = c.get("/api/organization/%s/datasetversions/find" % ids.org, id=ids.v1)
    t.ok(by_id["id"] == ids.v1, "datasetversions/find by id")


def check_assets(t, c, ids):
    path = "/api/dataset/version/%s/assets" % ids.v1
    _, p1 = c.get(path, limit=7, offset=0)
    _, p9 = c.get(path, limit=7, offset=56)
    t.ok(p1["count"] == p9["count"] == 60 and len(p9["items"]) == 4,
         "asset count independent of paging; the last page is short", (p1["count"], len(p9["items"])))
    a = p1["items"][0]
    t.ok(has_keys(a, "id", "data") and data_ok(a["data"]) and a["data"]["presigned_url"],
         "asset with its data and a presigned URL", a)
    bodies = {"ids": [a["id"]], "filenames": [a["data"]["filename"]],
              "object_names": [a["data"]["object_name"]], "data_ids": [a["data"]["id"]],
              "filename_startswith": [a["data"]["filename"][:-5]]}
    got = {}
    for key, values in bodies.items():
        _, out = c.call("XGET", path, body=dict({key: values}, upload_statuses=["DONE"]))
        got[key] = [x["id"] for x in out["items"]]
    t.ok(all(a["id"] in v for v in got.values()) and len(got["ids"]) == 1,
         "XGET assets by ids, filenames, object_names, data_ids, filename_startswith", got)
    t.ok(c.call("XGET", path, body={"ids": [a["id"]], "filenames": ["x"]})[0] == 400,
         "XGET with two list filters: 400")
    _, found = c.get(path + "/find", filename=a["data"]["filename"])
    t.ok(found["id"] == a["id"] and c.get(path + "/find", filename="zz")[0] == 404,
         "assets/find and its miss")
    _, asset = c.get("/api/asset/%s" % a["id"])
    t.ok(isinstance(asset.get("tags"), list), "asset by id with tags")
    _, ext = c.get(path + "/extended", limit=10)
    anns = [n for i in ext["items"] for n in i["annotations"]]
    t.ok(ext["count"] == 60 and anns and all(
        has_keys(n, "rectangles", "polygons", "lines", "points", "classifications", "keypoints")
        for n in anns) and all("label_id" in s for n in anns for s in n["rectangles"]),
        "assets/extended: annotations with shape arrays and label_id")
    _, tagged = c.get(path, limit=100, q='tags.name = "hard"')
    _, datatagged = c.get(path, limit=100, q='data.tags.name = "night"')
    t.ok(0 < tagged["count"] < 60 and 0 < datatagged["count"] < 60, "q on asset tags and data tags")


def check_labels_stats(t, c, ids):
    base = "/api/dataset/version/%s" % ids.v2
    _, labels = c.get(base + "/labels")
    t.ok(labels["count"] >= 5 and has_keys(labels["items"][0], "id", "name", "group_id"),
         "labels listed")
    t.ok(c.call("POST", base + "/labels", body={"name": "car"})[0] == 409,
         "a label name that exists: 409")
    status, new = c.call("POST", base + "/labels", body={"name": "scooter"})
    t.ok(status in (200, 201) and c.get(base + "/labels/find", name="scooter")[1]["id"] ==
         new["id"] and c.get(base + "/labels/find", name="zzz")[0] == 404, "label create, find")
    status, bulk = c.call("XGET", base + "/bulk-labels", body={"names": ["car", "moped"]})
    t.ok(status == 200 and isinstance(bulk, list) and [b["name"] for b in bulk] ==
         ["car", "moped"], "bulk-labels: a bare array, get or create", bulk)
    _, stats = c.get(base + "/stats")
    t.ok(has_keys(stats, "label_repartition", "nb_objects", "nb_annotations") and
         stats["nb_objects"] == sum(stats["label_repartition"].values()), "stats", stats)


def check_annotations(t, c, ids):
    base = "/api/dataset/version/%s" % ids.v1
    _, page = c.get(base + "/annotations", limit=5, offset=0)
    t.ok(page["count"] > 5 and all(has_keys(a, "id", "asset_id", "duration", "status") and
                                   isinstance(a["duration"], float) for a in page["items"]),
         "annotations list with asset_id, float duration, status")
    status, aids = c.get(base + "/annotations/ids")
    t.ok(status == 200 and isinstance(aids, list) and len(aids) == page["count"],
         "annotations/ids: a bare array")
    status, loaded = c.call("XGET", base + "/annotations", body=aids)
    t.ok(status == 200 and isinstance(loaded, list) and len(loaded) == len(aids),
         "XGET annotations: a bare array of every annotation")
    kinds = {k for a in loaded for k in ("rectangles", "polygons", "lines", "points",
                                         "classifications") if a[k]}
    statuses = {a["status"] for a in loaded}
    t.ok(len(kinds) == 5 and statuses == {"PENDING", "ACCEPTED", "REFUSED", "SKIPPED"},
         "the seed has every shape kind and every status", (kinds, statuses))
    _, accepted = c.get(base + "/annotations", limit=1, status="ACCEPTED")
    t.ok(0 < accepted["count"] < page["count"], "annotations filtered by status")
    asset = loaded[0]["asset_id"]
    _, latest = c.get("/api/asset/%s/annotations/find" % asset)
    _, all_of = c.get("/api/asset/%s/annotations" % asset)
    t.ok(latest["id"] == all_of["items"][-1]["id"], "annotations/find is the latest")
    return loaded


def check_shapes(t, c, ids, loaded):
    by_kind = {}
    for a in loaded:
        for kind in ("rectangle", "polygon", "line", "point", "classification"):
            if a[kind + "s"] and kind not in by_kind:
                by_kind[kind] = (a["id"], a[kind + "s"][0]["id"])
    good = True
    for kind, (ann, shape) in by_kind.items():
        _, lst = c.get("/api/annotation/%s/%ss" % (ann, kind))
        _, one = c.get("/api/%s/%s" % (kind, shape))
        good &= all(shape_ok(s, kind) for s in lst["items"]) and shape_ok(one, kind)
    t.ok(good and len(by_kind) == 5, "per-kind lists and GET of each kind: label object, text")
    label = c.get("/api/dataset/version/%s/labels/find" % ids.v1, name="car")[1]["id"]
    patches = {"rectangle": {"x": 5, "w": 50, "text": "plate"},
               "polygon": {"polygon": [[1, 1], [40, 1], [40, 40]]},
               "line": {"line": [[0, 0], [9, 9]]}, "point": {"point": [3, 4]},
               "classification": {"label_id": label}}
    good = True
    for kind, body in patches.items():
        status, out = c.call("PATCH", "/api/%s/%s" % (kind, by_kind[kind][1]), body=body)
        good &= status == 200 and all(out.get(k) == v or (k == "label_id" and out["label"]["id"] == v)
                                      for k, v in body.items())
    t.ok(good, "PATCH of each shape kind")
    ann = by_kind["rectangle"][0]
    status, made = c.call("POST", "/api/annotation/%s/bulk-rectangles" % ann,
                          body={"rectangles": [{"x": 1, "y": 2, "w": 3, "h": 4,
                                                "label_id": label}]})
    t.ok(status in (200, 201) and shape_ok(made["rectangles"][0], "rectangle"),
         "bulk-rectangles creates", made)
    status, made = c.call("POST", "/api/annotation/%s/bulk-points" % ann,
                          body={"points": [{"point": [5, 6], "order": 0, "label_id": label}]})
    t.ok(status in (200, 201) and made["points"][0]["point"] == [5, 6], "bulk-points creates")
    t.ok(c.call("POST", "/api/annotation/%s/bulk-rectangles" % ann,
                body={"rectangles": [{"x": 1, "y": 2, "w": 3, "h": 4, "label_id": "nope"}]})[0]
         == 400, "a shape with a label of no version: 400")
    t.ok(c.call("DELETE", "/api/rectangle/%s" % made["points"][0]["id"])[0] == 404 and
         c.call("DELETE", "/api/point/%s" % made["points"][0]["id"])[0] == 204,
         "shape DELETE checks the kind")
    status, saved = c.call("POST", "/api/annotation/%s/save" % ann,
                           body={"duration": 9.5, "rectangles": [{"x": 0, "y": 0, "w": 8, "h": 8,
                                                                  "label_id": label}]})
    _, rects = c.get("/api/annotation/%s/rectangles" % ann)
    _, polys = c.get("/api/annotation/%s/polygons" % ann)
    t.ok(status == 200 and saved["duration"] == 9.5 and rects["count"] == 1 and
         polys["count"] == 0, "save replaces every shape")
    status, patched = c.call("PATCH", "/api/annotation/%s" % ann, body={"status": "ACCEPTED"})
    t.ok(status == 200 and patched["status"] == "ACCEPTED", "annotation status PATCH")
    t.ok(c.call("PATCH", "/api/annotation/%s" % ann, body={"status": "DONE"})[0] == 400,
         "an unknown annotation status: 400")


def check_lock_delete(t, c, ids):
    base = "/api/dataset/version/%s" % ids.v2
    c.call("POST", base + "/lock")
    status, body = c.call("POST", base + "/labels", body={"name": "locked-out"})
    c.call("POST", base + "/unlock")
    t.ok(status == 423 and has_keys(body, "message"), "a locked version answers 423 to writes")
    t.ok(c.call("POST", base + "/labels", body={"name": "locked-out"})[0] in (200, 201),
         "unlocked again, the write goes through")
    _, datas = c.get("/api/datalake/%s/datas" % ids.lake, limit=3, offset=190)
    victims = [d["id"] for d in datas["items"]]
    t.ok(c.call("DELETE", "/api/data/%s" % victims[0])[0] == 204, "DELETE /api/data/{id}: 204")
    status, _ = c.call("DELETE", "/api/datalake/%s/datas" % ids.lake, body={"ids": victims[1:]})
    _, gone = c.call("XGET", "/api/datalake/%s/datas" % ids.lake, body={"ids": victims})
    t.ok(status == 204 and gone["items"] == [], "DELETE with a JSON body removes the data")


def check_booleans_campaigns(t, c, ids):
    path = "/api/organization/%s/annotationcampaigns" % ids.org
    _, open_ = c.get(path, is_closed="False")
    _, closed = c.get(path, is_closed="True")
    t.ok(open_["count"] == 1 and closed["count"] == 0, "is_closed=True/False booleans")
    t.ok(c.get(path, is_closed="maybe")[0] == 400, "a boolean that is not one: 400")
    _, camp = c.get("/api/campaigns/annotation/%s" % ids.campaign)
    t.ok(camp["dataset_version_id"] == ids.v1 and camp["instructions_text"],
         "campaign with its instructions text")
    _, steps = c.get("/api/campaigns/annotation/%s/steps" % ids.campaign)
    t.ok([(s["type"], s["order"]) for s in steps["items"]] == [("ANNOTATION", 0), ("REVIEW", 1)]
         and all(has_keys(s, "id", "name") for s in steps["items"]), "ANNOTATION then REVIEW")


def my_tasks(c, ids, user, step, status="PENDING"):
    _, page = c.get("/api/dataset/version/%s/assets" % ids.v1, limit=100,
                    assignment_step_id=ids.step[step], assignment_user_id=ids.user[user],
                    assignment_status=status)
    return page


def check_tasks(t, url, ids):
    alice, bob = Client(url, "alice-token"), Client(url, "bob-token")
    page = my_tasks(alice, ids, "alice", "ANNOTATION")
    returned = [a for a in page["items"] if a["assignment"]["rejected_count"]]
    t.ok(page["count"] == 30 and len(returned) == 3 and returned[0]["assignment"]["comment"],
         "alice's queue: 30 tasks, 3 returned with a comment", page["count"])
    fresh = next(a for a in page["items"] if not a["assignment"]["rejected_count"])
    task = fresh["assignment"]["id"]
    act = "/api/campaigns/annotation/assignments/%s/%s"
    t.ok(alice.call("POST", act % ("0" * 8 + "-0000-4000-8000-" + "0" * 12, "submit"))[0] == 404,
         "an unknown assignment: 404")
    t.ok(bob.call("POST", act % (task, "submit"))[0] == 403, "not the assignee: 403")
    t.ok(alice.call("POST", act % (task, "accept"))[0] == 400, "accept on an ANNOTATION step: 400")
    status, out = alice.call("POST", act % (task, "submit"), body={"duration": 4.0})
    review = out and out.get("assignment")
    t.ok(status == 200 and review["step_id"] == ids.step["REVIEW"] and
         review["user_id"] == ids.user["bob"] and review["status"] == "PENDING",
         "alice submits: the task moves to bob's review", out)
    t.ok(alice.call("POST", act % (task, "submit"))[0] == 409, "submitting again: 409")
    t.ok(bob.call("POST", act % (review["id"], "submit"))[0] == 400, "submit on REVIEW: 400")
    status, out = bob.call("POST", act % (review["id"], "reject"),
                           body={"comment": "the wheel points are off"})
    back = out["assignment"]
    t.ok(status == 200 and back["user_id"] == ids.user["alice"] and
         back["step_id"] == ids.step["ANNOTATION"] and back["rejected_count"] == 1,
         "bob rejects: back to alice with rejected_count 1", out)
    _, ann = alice.get("/api/asset/%s/annotations/find" % fresh["id"])
    t.ok(ann["status"] == "REFUSED", "the rejected asset's annotation is REFUSED")
    mine = my_tasks(alice, ids, "alice", "ANNOTATION")
    again = [a for a in mine["items"] if a["id"] == fresh["id"]]
    t.ok(again and again[0]["assignment"]["comment"] == "the wheel points are off" and
         again[0]["assignment"]["rejected_count"] == 1, "alice sees it back with the comment")
    status, out = alice.call("POST", act % (back["id"], "submit"))
    review2 = out["assignment"]
    status, out = bob.call("POST", act % (review2["id"], "accept"))
    _, ann = alice.get("/api/asset/%s/annotations/find" % fresh["id"])
    t.ok(status == 200 and out["assignment"] is None and ann["status"] == "ACCEPTED",
         "resubmitted and accepted: done, annotation ACCEPTED", (out, ann))
    t.ok(bob.call("POST", act % (review2["id"], "reject"))[0] == 409,
         "deciding a finished task: 409")
    done = my_tasks(bob, ids, "bob", "REVIEW", "ACCEPTED")
    t.ok(any(a["id"] == fresh["id"] for a in done["items"]), "the accepted task is listed so")
    other = next(a for a in mine["items"] if a["id"] != fresh["id"])["assignment"]["id"]
    status, out = alice.call("POST", act % (other, "skip"))
    t.ok(status == 200 and out["assignment"]["status"] == "SKIPPED" and
         out["assignment"]["user_id"] is None, "skip leaves it unassigned in the step")


def check_transport(t, url, ids):
    c = Client(url, "alice-token")
    status, hdrs, body = c.raw("GET", "/api/dataset/version/%s/assets" % ids.v1,
                               {"limit": 20}, headers={"Accept-Encoding": "gzip"},
                               raw_gzip=True)
    t.ok(hdrs.get("content-encoding") == "gzip" and int(hdrs["content-length"]) == len(body) and
         json.loads(gzip.decompress(body))["count"] == 60, "gzip with Content-Length")
    c.raw("GET", "/api/home/ping")
    first = c.conn.sock
    c.raw("GET", "/api/home/ping")
    t.ok(c.conn is not None and c.conn.sock is first, "HTTP/1.1 keep-alive: one connection")


def check_storage(t, url, tmp, ids):
    srv = Server(os.path.join(tmp, "ttl"), "--seed", "small", "--url-ttl", "1")
    try:
        c = Client(srv.url, "alice-token")
        _, asset = c.get("/api/asset/%s" % c.get("/api/dataset/version/%s/assets" % ids.v1,
                                                 limit=1)[1]["items"][0]["id"])
        url1 = asset["data"]["presigned_url"]
        status, hdrs, body = storage_get(url1)
        size = png_size(body)
        t.ok(status == 200 and hdrs.get("content-type") == "image/png" and
             int(hdrs["content-length"]) == len(body) and
             size == (asset["data"]["meta"]["width"], asset["data"]["meta"]["height"]),
             "storage: a PNG of the data's size, with Content-Length", (status, size))
        _, _, other = storage_get(c.get("/api/data/%s/presigned-url" % c.get(
            "/api/datalake/%s/datas" % ids.lake, limit=1, offset=7)[1]["items"][0]["id"])[1]
            ["presigned_url"])
        t.ok(other != body and png_size(other), "another image differs")
        forged = re.sub(r"X-Signature=[0-9a-f]+", "X-Signature=" + "0" * 40, url1)
        t.ok(storage_get(forged)[0] == 403, "a forged signature: 403")
        longer = re.sub(r"X-Expires=\d+", "X-Expires=9999999999", url1)
        t.ok(storage_get(longer)[0] == 403, "an expiry pushed later: 403")
        storage_get(url1, {"Authorization": "Bearer alice-token"})
        _, viol = Client(srv.url).get("/_standin/violations")
        t.ok(any(v["kind"] == "token sent to storage" for v in viol["items"]),
             "a token sent to storage is recorded as a violation", viol)
        time.sleep(2.1)
        t.ok(storage_get(url1)[0] == 403, "an expired presigned URL: 403")
        fresh = c.get("/api/data/%s/presigned-url" % asset["data"]["id"])[1]["presigned_url"]
        t.ok(storage_get(fresh)[0] == 200, "a fresh URL works again")
    finally:
        srv.stop()


def check_introspection(t, url, ids):
    probe = Client(url)
    probe.call("POST", "/_standin/reset")
    c = Client(url, "alice-token")
    c.get("/api/datalake/%s/datas" % ids.lake, limit=1001)
    Client(url).get("/api/home/ping")
    _, log = probe.get("/_standin/log")
    items = log["items"]
    t.ok(len(items) == 2 and items[0]["token"] and not items[1]["token"] and
         items[0]["status"] == 400 and items[1]["status"] == 401 and "limit=1001" in items[0]["query"],
         "the request log: method, path, query, token sent, status", items)
    _, viol = probe.get("/_standin/violations")
    t.ok(any(v["kind"].startswith("limit over") for v in viol["items"]),
         "a page over 1000 is recorded as a violation")
    probe.call("POST", "/_standin/reset")
    t.ok(probe.get("/_standin/log")[1]["count"] == 0 and
         probe.get("/_standin/violations")[1]["count"] == 0, "reset clears log and violations")


def check_restart(t, tmp):
    state = os.path.join(tmp, "restart")
    srv = Server(state, "--seed", "small")
    t.ok(re.fullmatch(r"listening on http://127\.0\.0\.1:\d+", srv.first_line) and
         not srv.first_line.endswith(":0"), "the first line names the port", srv.first_line)
    c = Client(srv.url, "bob-token")
    ids = Ids(c)
    c.call("POST", "/api/datalake/%s/tags" % ids.lake, body={"name": "kept"})
    rc = srv.stop()
    t.ok(rc == 0, "SIGTERM stops it cleanly", rc)
    srv = Server(state, "--seed", "small")
    try:
        c = Client(srv.url, "bob-token")
        _, kept = c.get("/api/datalake/%s/tags/find" % ids.lake, name="kept")
        _, datas = c.get("/api/datalake/%s/datas" % ids.lake, limit=1)
        t.ok(kept and kept.get("name") == "kept" and datas["count"] == 204,
             "a restart keeps the state and does not seed it twice")
    finally:
        srv.stop()


def outcomes(url, n):
    out = []
    for _ in range(n):
        c = Client(url, "alice-token")
        try:
            status, _ = c.get("/api/home/ping")
            out.append(status)
        except (http.client.HTTPException, OSError):
            out.append("drop")
    return out


def check_faults(t, tmp):
    spec = "5xx=0.2,429=0.1,drop=0.1,seed=7"
    srv = Server(os.path.join(tmp, "faults"), "--seed", "small", "--faults", spec)
    try:
        got = outcomes(srv.url, 300)
        rates = {k: sum(1 for o in got if (o in (500, 502, 503, 504) if k == "5xx" else o == k))
                 / 300 for k in ("5xx", 429, "drop", 200)}
        # the 5xx and 429 draws come after drop's: expected 0.2*0.9 and 0.1*0.72
        t.ok(0.12 < rates["5xx"] < 0.25 and 0.03 < rates[429] < 0.12 and
             0.05 < rates["drop"] < 0.16 and rates[200] > 0.55, "faults at about their rates",
             rates)
    finally:
        srv.stop()
    srv = Server(os.path.join(tmp, "faults2"), "--seed", "small", "--faults", spec)
    try:
        t.ok(outcomes(srv.url, 300) == got, "the same seed gives the same faults")
        hdrs = {}
        for _ in range(100):
            try:
                status, hdrs, _ = Client(srv.url, "alice-token").raw("GET", "/api/home/ping")
            except (http.client.HTTPException, OSError):
                continue
            if status == 429:
                break
        t.ok("retry-after" in hdrs, "429 carries Retry-After")
    finally:
        srv.stop()
    srv = Server(os.path.join(tmp, "faults3"), "--seed", "small", "--faults",
                 "malformed=0.5,truncate=0.3,latency=50ms,seed=3")
    try:
        kinds = set()
        start = time.time()
        for _ in range(20):
            try:
                status, _, body = Client(srv.url, "alice-token").raw("GET", "/api/home/ping")
                json.loads(body)
                kinds.add("ok")
            except ValueError:
                kinds.add("malformed")
            except (http.client.HTTPException, OSError):
                kinds.add("truncated")
        t.ok(kinds == {"ok", "malformed", "truncated"} and time.time() - start >= 1.0,
             "malformed and truncated bodies, and latency", kinds)
    finally:
        srv.stop()
    srv = Server(os.path.join(tmp, "faults4"), "--seed", "small", "--faults",
                 "drop_after_write=1,expire=1")
    try:
        c = Client(srv.url, "alice-token")
        ids = Ids(c)
        try:
            c.call("POST", "/api/datalake/%s/tags" % ids.lake, body={"name": "lost-answer"})
            dropped = False
        except (http.client.HTTPException, OSError):
            dropped = True
        _, tag = Client(srv.url, "alice-token").get("/api/datalake/%s/tags/find" % ids.lake,
                                                    name="lost-answer")
        t.ok(dropped and tag.get("name") == "lost-answer",
             "drop_after_write: the write is done, its answer lost")
        _, page = c.get("/api/datalake/%s/datas" % ids.lake, limit=1)
        t.ok(storage_get(page["items"][0]["presigned_url"])[0] == 403,
             "expire: presigned URLs come back expired")
    finally:
        srv.stop()


# ---- the SDK trace ---------------------------------------------------------------------------

TRACE_NAMES = {"fake-org": "demo-org", "demo-dataset": "cars"}


class Replay:
    """Maps the trace's ids (another server's) onto this server's, by route shape."""

    def __init__(self, c, ids):
        self.c = c
        self.map = {}
        self.ids = ids
        _, page = c.get("/api/dataset/version/%s/assets" % ids.v1, limit=3)
        self.assets = page["items"]
        self.files = {"img_%d.png" % i: a["data"] for i, a in enumerate(self.assets)}
        self.export_url = None

    def learn(self, trace_path, kinds):
        """Binds each id in TRACE_PATH to ours by the segment before it."""
        for word, tid in re.findall(r"/([a-z-]+)/(%s)" % UUID.pattern, trace_path):
            if self.map.get(tid):
                continue
            mine = {"organization": self.ids.org, "datalake": self.ids.lake,
                    "dataset": self.ids.cars, "version": self.ids.v1,
                    "annotation": None, "asset": self.assets[0]["id"],
                    "data": self.assets[0]["data"]["id"]}.get(word)
            if word == "annotation" and trace_path.startswith("/api/campaigns"):
                mine = self.ids.campaign
            elif word == "annotation":
                mine = self.c.get("/api/asset/%s/annotations/find" % self.assets[0]["id"])[1]["id"]
            elif word == "tag":
                mine = kinds.get("tag")
            self.map[tid] = mine

    def sub(self, value):
        if isinstance(value, str):
            value = UUID.sub(lambda m: self.map.get(m.group(0)) or m.group(0), value)
            value = TRACE_NAMES.get(value, value)
            return self.files[value]["filename"] if value in self.files else value
        if isinstance(value, list):
            return [self.sub(v) for v in value]
        if isinstance(value, dict):
            return {k: self.sub(v) for k, v in value.items()}
        return value


def expect_keys(step, path, method, body):
    """The keys the SDK reads from each answer of the trace (spec §2-§8, §11.2)."""
    if path.endswith("/home/ping"):
        return has_keys(body, "sdk_version", "username", "default_organization")
    if method == "XGET" and path.endswith("/annotations"):
        return isinstance(body, list) and all(has_keys(a, "id", "asset_id", "status") for a in body)
    if path.endswith("/annotations/ids"):
        return isinstance(body, list) and all(isinstance(i, str) for i in body)
    if path.endswith("/attach") or path.endswith("/detach"):
        return has_keys(body, "tag", "count")
    if path.endswith("/presigned-url"):
        return has_keys(body, "presigned_url")
    if path.endswith("/export"):
        return has_keys(body, "object_name", "presigned_url")
    if path.endswith("/stats"):
        return has_keys(body, "label_repartition", "nb_objects", "nb_annotations")
    if method == "DELETE":
        return True
    if isinstance(body, dict) and "items" in body:
        if not isinstance(body["items"], list):
            return False
        if path.endswith("/datas") or path.endswith("/assets"):
            data = [i if path.endswith("/datas") else i["data"] for i in body["items"]]
            return "count" in body and body["items"] and all(data_ok(d) for d in data)
        if re.search(r"/(rectangles|polygons|lines|points|classifications)$", path):
            kind = path.rsplit("/", 1)[1][:-1]
            return all(shape_ok(s, kind) for s in body["items"])
        if path.endswith("/versions"):
            return all(has_keys(v, "id", "origin_name", "version", "type") for v in body["items"])
        return all(has_keys(i, "id") for i in body["items"])
    if re.search(r"/datalake/[^/]+/datas/find$", path) or re.search(r"/api/data/[^/]+$", path):
        return data_ok(body) and "tags" in body if "/api/data/" in path else data_ok(body)
    if "/versions/find" in path or "datasetversions/find" in path:
        return has_keys(body, "id", "origin_name", "version", "type", "annotation_campaign_id")
    if re.search(r"/api/asset/[^/]+$", path) or path.endswith("/assets/find"):
        return has_keys(body, "id", "data") and data_ok(body["data"])
    if "/annotation/" in path and "campaigns" not in path or path.endswith("/annotations/find"):
        return has_keys(body, "id", "duration", "status") and isinstance(body["duration"], float)
    if re.search(r"/api/organization/[^/]+$", path):
        return has_keys(body, "id", "name", "default_connector_id")
    if path.startswith("/api/campaigns/annotation/"):
        return has_keys(body, "id", "dataset_version_id")
    return has_keys(body, "id")


def check_trace(t, url, ids):
    if not os.path.exists(TRACE):
        t.ok(True, "# SKIP the SDK trace is not at %s" % TRACE)
        return
    c = Client(url, "alice-token", ids.org)
    rp = Replay(c, ids)
    created = {}
    bad = []
    steps = 0
    trace = [json.loads(line) for line in open(TRACE)]
    for req in trace:  # ids that the trace sends in a query before any path shows them
        rp.learn(req["path"], created)
    for req in trace:
        steps += 1
        path, method = req["path"], req["method"]
        rp.learn(path, created)
        if path.startswith("/storage/"):
            name = path.rsplit("/", 1)[1]
            if name in rp.files:
                target = c.get("/api/data/%s/presigned-url" % rp.files[name]["id"])[1]["presigned_url"]
            else:
                target = rp.export_url
            status, hdrs, body = storage_get(target, {k: v for k, v in req["headers"].items()
                                                      if k in ("User-Agent", "Accept")})
            if status != 200 or "content-length" not in hdrs or (
                    name.endswith(".json") and not has_keys(json.loads(body), "images",
                                                           "annotations", "categories")):
                bad.append((path, status))
            continue
        headers = {k: v for k, v in req["headers"].items()
                   if k in ("User-Agent", "Accept", "Accept-Encoding", "Content-type")}
        query = {k: rp.sub(v) for k, v in req["query"].items()}
        body = rp.sub(req["body"])
        status, out = c.call(method, rp.sub(path), query, body, headers)
        expected_404 = path.endswith("/tags/find") and "sdk-probe" in str(query)
        if expected_404:
            # get_or_create: the SDK asks for a tag that does not exist and catches the 404
            if status != 404:
                bad.append((method, path, status))
            continue
        if not (200 <= status <= 299 and status != 208) or not expect_keys(
                req["step"], rp.sub(path), method, out):
            bad.append((method, path, status, str(out)[:300]))
        if method == "POST" and path.endswith("/tags"):
            created["tag"] = out.get("id")
        if path.endswith("/export"):
            rp.export_url = out.get("presigned_url")
        if "add_tags" in (req["step"] or "") and method == "GET":
            if not any(tg["name"].startswith("sdk-probe") for tg in out.get("tags", [])):
                bad.append(("attached tag not on the asset", path))
    t.ok(not bad and steps > 50, "every request of the SDK trace (%d) answered as the SDK "
         "expects" % steps, bad)


def main():
    url, start, count_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    t = Tap(start)
    tmp = tempfile.mkdtemp(prefix="standin-test.", dir=os.environ.get("T"))
    c = Client(url, "alice-token")
    ids = Ids(c)
    for check in (lambda: check_auth(t, url), lambda: check_org(t, c, ids),
                  lambda: check_trace(t, url, ids),
                  lambda: check_datalake(t, c, ids), lambda: check_tags(t, c, ids),
                  lambda: check_datasets(t, c, ids), lambda: check_assets(t, c, ids),
                  lambda: check_labels_stats(t, c, ids),
                  lambda: check_shapes(t, c, ids, check_annotations(t, c, ids)),
                  lambda: check_lock_delete(t, c, ids),
                  lambda: check_booleans_campaigns(t, c, ids), lambda: check_tasks(t, url, ids),
                  lambda: check_transport(t, url, ids), lambda: check_introspection(t, url, ids),
                  lambda: check_storage(t, url, tmp, ids), lambda: check_restart(t, tmp),
                  lambda: check_faults(t, tmp)):
        began = time.time()
        try:
            check()
            if os.environ.get("STANDIN_TIMING"):
                print("# %.2fs" % (time.time() - began))
        except Exception as exc:  # a crash in one group fails it and lets the others run
            import traceback
            t.ok(False, "check group ran without an exception", traceback.format_exc())
            del exc
    with open(count_file, "w") as f:
        f.write(str(t.n))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
