"""Write routes: datasets and versions, tags and their attach/detach, data, labels, annotations
and shapes, version lock, annotation export (spec §3-§7). A locked version answers 423 to every
write on what it holds; a name that exists answers 409."""

import json
import sqlite3
import time
import uuid

from api import (ANNOTATION_STATUSES, INFERENCE_TYPES, KIND_OF, PLURAL, ApiError, annotation_json,
                 chunks, dataset_json, label_json, labels_of, marks, one, route, shape_json,
                 tag_json, version_json)
from routes_browse import SHAPE_PATH, data_get, org_of, shape_row
from store import SHAPE_KINDS

NO_CONTENT = (204, None)


def new_id():
    return str(uuid.uuid4())


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def write(req):
    return req.app.store.write()


def unlocked(c, version_id):
    """423 when the version is locked (spec §1.4)."""
    row = c.execute("SELECT locked FROM versions WHERE id=?", (version_id,)).fetchone()
    if row is not None and row[0]:
        raise ApiError(423, "Dataset version is locked", "unlock it before changing it")


def get(c, table, ident, what):
    return one(c, "SELECT * FROM %s WHERE id=?" % table, (ident,), what)


def text_field(body, key, required=True):
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, "Invalid %s" % key, "%s must be a non-empty string" % key)
    return value


def insert_unique(c, sql, args, what, name):
    """An INSERT whose UNIQUE constraint means "that name exists": 409."""
    try:
        c.execute(sql, args)
    except sqlite3.IntegrityError:
        raise ApiError(409, "%s already exists" % what, "a %s named %r exists"
                       % (what.lower(), name))


# ---- datasets and versions ------------------------------------------------------------------

@route("POST", "/api/organization/{org}/datasets")
def dataset_create(req):
    org = org_of(req)
    body = req.obj()
    name = text_field(body, "name")
    ident = new_id()
    with write(req) as c:
        insert_unique(c, "INSERT INTO datasets(id, org_id, name, description, created_at) "
                      "VALUES(?,?,?,?,?)", (ident, org["id"], name, body.get("description"),
                                            now()), "Dataset", name)
        return 201, dataset_json(c, get(c, "datasets", ident, "Dataset"), True)


@route("PATCH", "/api/dataset/{id}")
def dataset_patch(req):
    body = req.obj()
    with write(req) as c:
        ds = get(c, "datasets", req.p["id"], "Dataset")
        name = text_field(body, "name", False) or ds["name"]
        desc = body.get("description", ds["description"])
        try:
            c.execute("UPDATE datasets SET name=?, description=? WHERE id=?",
                      (name, desc, ds["id"]))
        except sqlite3.IntegrityError:
            raise ApiError(409, "Dataset already exists", "a dataset named %r exists" % name)
        return 200, dataset_json(c, get(c, "datasets", ds["id"], "Dataset"), True)


@route("POST", "/api/dataset/{id}/versions")
def version_create(req):
    body = req.obj()
    name = text_field(body, "version")
    vtype = body.get("type") or "NOT_CONFIGURED"
    if vtype not in INFERENCE_TYPES:
        raise ApiError(400, "Invalid type", "type must be one of " + ", ".join(INFERENCE_TYPES))
    ident = new_id()
    with write(req) as c:
        ds = get(c, "datasets", req.p["id"], "Dataset")
        insert_unique(c, "INSERT INTO versions(id, dataset_id, version, description, type, "
                      "locked, created_at) VALUES(?,?,?,?,?,0,?)",
                      (ident, ds["id"], name, body.get("description"), vtype, now()),
                      "Dataset version", name)
        return 201, version_json(c, get(c, "versions", ident, "Dataset version"))


@route("PATCH", "/api/dataset/version/{id}")
def version_patch(req):
    body = req.obj()
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        unlocked(c, v["id"])
        vtype = body.get("type") or v["type"]
        if vtype not in INFERENCE_TYPES:
            raise ApiError(400, "Invalid type", "type must be one of " +
                           ", ".join(INFERENCE_TYPES))
        name = text_field(body, "version", False) or v["version"]
        try:
            c.execute("UPDATE versions SET version=?, description=?, type=? WHERE id=?",
                      (name, body.get("description", v["description"]), vtype, v["id"]))
        except sqlite3.IntegrityError:
            raise ApiError(409, "Dataset version already exists", "version %r exists" % name)
        return 200, version_json(c, get(c, "versions", v["id"], "Dataset version"))


@route("POST", "/api/dataset/version/{id}/lock")
def version_lock(req):
    return _set_lock(req, 1)


@route("POST", "/api/dataset/version/{id}/unlock")
def version_unlock(req):
    return _set_lock(req, 0)


def _set_lock(req, locked):
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        c.execute("UPDATE versions SET locked=? WHERE id=?", (locked, v["id"]))
    return 200, {"id": v["id"], "locked": bool(locked)}


# ---- tags -----------------------------------------------------------------------------------

def tag_create(req, scope, target_type):
    name = text_field(req.obj(), "name")
    ident = new_id()
    with write(req) as c:
        if target_type == "ASSET":
            unlocked(c, scope)
        insert_unique(c, "INSERT INTO tags(id, name, target_type, scope_id, created_at) "
                      "VALUES(?,?,?,?,?)", (ident, name, target_type, scope, now()), "Tag", name)
        return 201, tag_json(get(c, "tags", ident, "Tag"))


@route("POST", "/api/datalake/{id}/tags")
def datalake_tag_create(req):
    lake = get(req.db, "datalakes", req.p["id"], "Datalake")
    return tag_create(req, lake["id"], "DATA")


@route("POST", "/api/dataset/version/{id}/tags")
def version_tag_create(req):
    version = get(req.db, "versions", req.p["id"], "Dataset version")
    return tag_create(req, version["id"], "ASSET")


@route("POST", "/api/organization/{org}/tags")
def org_tag_create(req):
    org = org_of(req)
    target = req.obj().get("target_type")
    if target not in ("DATASET", "DATASET_VERSION", "MODEL", "MODEL_VERSION", "DEPLOYMENT"):
        raise ApiError(400, "Invalid target_type", "organization tags target DATASET, "
                       "DATASET_VERSION, MODEL, MODEL_VERSION or DEPLOYMENT")
    return tag_create(req, org["id"], target)


@route("PATCH", "/api/tag/{id}")
def tag_patch(req):
    name = text_field(req.obj(), "name")
    with write(req) as c:
        tag = get(c, "tags", req.p["id"], "Tag")
        if tag["target_type"] == "ASSET":
            unlocked(c, tag["scope_id"])
        try:
            c.execute("UPDATE tags SET name=? WHERE id=?", (name, tag["id"]))
        except sqlite3.IntegrityError:
            raise ApiError(409, "Tag already exists", "a tag named %r exists" % name)
        return 200, tag_json(get(c, "tags", tag["id"], "Tag"))


@route("DELETE", "/api/tag/{id}")
def tag_delete(req):
    with write(req) as c:
        tag = get(c, "tags", req.p["id"], "Tag")
        if tag["target_type"] == "ASSET":
            unlocked(c, tag["scope_id"])
        c.execute("DELETE FROM tag_links WHERE tag_id=?", (tag["id"],))
        c.execute("DELETE FROM tags WHERE id=?", (tag["id"],))
    return NO_CONTENT


def _targets(c, tag, ids):
    """The ids among IDS that this tag can go on: data of its datalake, assets of its
    version, datasets or versions of its organization. Others are ignored (spec §4.2)."""
    sql = {"DATA": "SELECT id FROM datas WHERE datalake_id=? AND id IN (%s)",
           "ASSET": "SELECT id FROM assets WHERE version_id=? AND id IN (%s)",
           "DATASET": "SELECT id FROM datasets WHERE org_id=? AND id IN (%s)",
           "DATASET_VERSION": "SELECT v.id FROM versions v JOIN datasets d ON d.id=v.dataset_id "
                              "WHERE d.org_id=? AND v.id IN (%s)"}.get(tag["target_type"])
    if sql is None:
        return []
    out = []
    for part in chunks(set(ids)):
        out += [r[0] for r in c.execute(sql % marks(part), [tag["scope_id"]] + part)]
    return out


@route("POST", "/api/tag/{id}/attach")
def tag_attach(req):
    return _tag_links(req, "INSERT OR IGNORE INTO tag_links VALUES(?, ?)")


@route("POST", "/api/tag/{id}/detach")
def tag_detach(req):
    return _tag_links(req, "DELETE FROM tag_links WHERE tag_id=? AND target_id=?")


def _tag_links(req, sql):
    """Body: a bare array of target ids. Answer {"tag", "count"}; [?] count is the number of
    links this call made (attach) or removed (detach)."""
    ids = req.id_list()
    with write(req) as c:
        tag = get(c, "tags", req.p["id"], "Tag")
        if tag["target_type"] == "ASSET":
            unlocked(c, tag["scope_id"])
        before = c.total_changes
        c.executemany(sql, [(tag["id"], t) for t in _targets(c, tag, ids)])
        count = c.total_changes - before
        return 200, {"tag": tag_json(tag), "count": count}


# ---- data -----------------------------------------------------------------------------------

@route("PATCH", "/api/data/{id}")
def data_patch(req):
    body = req.obj()
    meta = body.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise ApiError(400, "Invalid metadata", "metadata must be an object or null")
    with write(req) as c:
        row = get(c, "datas", req.p["id"], "Data")
        c.execute("UPDATE datas SET metadata=? WHERE id=?",
                  (json.dumps(meta) if meta is not None else None, row["id"]))
    return data_get(req)


@route("PATCH", "/api/data/{id}/custom-metadata")
def data_custom_patch(req):
    custom = req.obj().get("custom_metadata")
    if custom is not None and not isinstance(custom, dict):
        raise ApiError(400, "Invalid custom_metadata", "custom_metadata must be an object or null")
    with write(req) as c:
        row = get(c, "datas", req.p["id"], "Data")
        c.execute("UPDATE datas SET custom_metadata=? WHERE id=?",
                  (json.dumps(custom) if custom is not None else None, row["id"]))
    return 200, {"id": row["id"], "custom_metadata": custom}


def _delete_assets(c, asset_ids):
    """Removes assets with their annotations, shapes, tags and assignments."""
    for part in chunks(asset_ids):
        ann = [r[0] for r in c.execute("SELECT id FROM annotations WHERE asset_id IN (%s)"
                                       % marks(part), part)]
        for apart in chunks(ann):
            c.execute("DELETE FROM shapes WHERE annotation_id IN (%s)" % marks(apart), apart)
        for table, col in (("annotations", "asset_id"), ("tag_links", "target_id"),
                           ("assignments", "asset_id"), ("assets", "id")):
            c.execute("DELETE FROM %s WHERE %s IN (%s)" % (table, col, marks(part)), part)


def _delete_datas(c, data_ids):
    """[?] deleting data also removes the assets made from it (the spec is silent)."""
    for part in chunks(data_ids):
        assets = c.execute("SELECT id, version_id FROM assets WHERE data_id IN (%s)"
                           % marks(part), part).fetchall()
        for version in {a["version_id"] for a in assets}:
            unlocked(c, version)
        _delete_assets(c, [a["id"] for a in assets])
        c.execute("DELETE FROM tag_links WHERE target_id IN (%s)" % marks(part), part)
        c.execute("DELETE FROM datas WHERE id IN (%s)" % marks(part), part)


@route("DELETE", "/api/data/{id}")
def data_delete(req):
    with write(req) as c:
        row = get(c, "datas", req.p["id"], "Data")
        _delete_datas(c, [row["id"]])
    return NO_CONTENT  # spec §1.4: the SDK asserts exactly 204


def _body_ids(req, key="ids"):
    ids = req.obj().get(key)
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "Invalid body", "%s must be a list of ids" % key)
    return ids


@route("DELETE", "/api/datalake/{id}/datas")
def datas_delete(req):
    ids = _body_ids(req)
    with write(req) as c:
        lake = get(c, "datalakes", req.p["id"], "Datalake")
        mine = []
        for part in chunks(ids):
            mine += [r[0] for r in c.execute("SELECT id FROM datas WHERE datalake_id=? AND id "
                                             "IN (%s)" % marks(part), [lake["id"]] + part)]
        _delete_datas(c, mine)
    return NO_CONTENT


# ---- assets ---------------------------------------------------------------------------------

@route("DELETE", "/api/asset/{id}")
def asset_delete(req):
    with write(req) as c:
        asset = get(c, "assets", req.p["id"], "Asset")
        unlocked(c, asset["version_id"])
        _delete_assets(c, [asset["id"]])
    return NO_CONTENT


@route("DELETE", "/api/dataset/version/{id}/assets")
def assets_delete(req):
    ids = _body_ids(req)
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        unlocked(c, v["id"])
        mine = []
        for part in chunks(ids):
            mine += [r[0] for r in c.execute("SELECT id FROM assets WHERE version_id=? AND id "
                                             "IN (%s)" % marks(part), [v["id"]] + part)]
        _delete_assets(c, mine)
    return NO_CONTENT


# ---- labels ---------------------------------------------------------------------------------

def _label_insert(c, version_id, name):
    ident = new_id()
    insert_unique(c, "INSERT INTO labels(id, version_id, name, group_id) VALUES(?,?,?,NULL)",
                  (ident, version_id, name), "Label", name)
    return get(c, "labels", ident, "Label")


@route("POST", "/api/dataset/version/{id}/labels")
def label_create(req):
    name = text_field(req.obj(), "name")
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        unlocked(c, v["id"])
        return 201, label_json(_label_insert(c, v["id"], name))


@route("XGET", "/api/dataset/version/{id}/bulk-labels")
def labels_bulk(req):
    """Get-or-create by name: a bare array of labels, in the order of the names."""
    names = req.obj().get("names")
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise ApiError(400, "Invalid body", "names must be a list of non-empty strings")
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        out = []
        for name in names:
            row = c.execute("SELECT * FROM labels WHERE version_id=? AND name=?",
                            (v["id"], name)).fetchone()
            if row is None:
                unlocked(c, v["id"])
                row = _label_insert(c, v["id"], name)
            out.append(label_json(row))
        return 200, out


@route("PATCH", "/api/label/{id}")
def label_patch(req):
    body = req.obj()
    with write(req) as c:
        label = get(c, "labels", req.p["id"], "Label")
        unlocked(c, label["version_id"])
        name = text_field(body, "name", False) or label["name"]
        try:
            c.execute("UPDATE labels SET name=?, group_id=? WHERE id=?",
                      (name, body.get("group_id", label["group_id"]), label["id"]))
        except sqlite3.IntegrityError:
            raise ApiError(409, "Label already exists", "a label named %r exists" % name)
        return 200, label_json(get(c, "labels", label["id"], "Label"))


@route("DELETE", "/api/label/{id}")
def label_delete(req):
    with write(req) as c:
        label = get(c, "labels", req.p["id"], "Label")
        unlocked(c, label["version_id"])
        c.execute("DELETE FROM shapes WHERE label_id=?", (label["id"],))  # spec §6.6
        c.execute("DELETE FROM labels WHERE id=?", (label["id"],))
    return NO_CONTENT


# ---- annotations ----------------------------------------------------------------------------

def _duration(body, default=0.0):
    value = body.get("duration", default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ApiError(400, "Invalid duration", "duration must be a non-negative number")
    return float(value)


@route("POST", "/api/asset/{id}/annotations")
def annotation_create(req):
    duration = _duration(req.obj())
    ident = new_id()
    with write(req) as c:
        asset = get(c, "assets", req.p["id"], "Asset")
        unlocked(c, asset["version_id"])
        c.execute("INSERT INTO annotations(id, asset_id, version_id, duration, status, "
                  "created_at) VALUES(?,?,?,?,'PENDING',?)",
                  (ident, asset["id"], asset["version_id"], duration, now()))
        return 201, annotation_json(get(c, "annotations", ident, "Annotation"))


@route("PATCH", "/api/annotation/{id}")
def annotation_patch(req):
    body = req.obj()
    status = body.get("status")
    if status is not None and status not in ANNOTATION_STATUSES:
        raise ApiError(400, "Invalid status", "status must be one of " +
                       ", ".join(ANNOTATION_STATUSES))
    with write(req) as c:
        ann = get(c, "annotations", req.p["id"], "Annotation")
        unlocked(c, ann["version_id"])
        c.execute("UPDATE annotations SET status=?, duration=? WHERE id=?",
                  (status or ann["status"], _duration(body, ann["duration"]), ann["id"]))
        return 200, annotation_json(get(c, "annotations", ann["id"], "Annotation"))


def _delete_annotations(c, ids):
    for part in chunks(ids):
        c.execute("DELETE FROM shapes WHERE annotation_id IN (%s)" % marks(part), part)
        c.execute("DELETE FROM annotations WHERE id IN (%s)" % marks(part), part)


@route("DELETE", "/api/annotation/{id}")
def annotation_delete(req):
    with write(req) as c:
        ann = get(c, "annotations", req.p["id"], "Annotation")
        unlocked(c, ann["version_id"])
        _delete_annotations(c, [ann["id"]])
    return NO_CONTENT


@route("DELETE", "/api/dataset/version/{id}/annotations")
def annotations_delete(req):
    """Body {"asset_ids": [...]} or ["__all__"], optionally with "annotation_ids" (spec §6.3)."""
    body = req.obj()
    assets = _body_ids(req, "asset_ids")
    only = body.get("annotation_ids")
    with write(req) as c:
        v = get(c, "versions", req.p["id"], "Dataset version")
        unlocked(c, v["id"])
        if only is not None:
            ids = [r[0] for part in chunks(_body_ids(req, "annotation_ids")) for r in c.execute(
                "SELECT id FROM annotations WHERE version_id=? AND id IN (%s)" % marks(part),
                [v["id"]] + part)]
        elif assets == ["__all__"]:
            ids = [r[0] for r in c.execute("SELECT id FROM annotations WHERE version_id=?",
                                           (v["id"],))]
        else:
            ids = [r[0] for part in chunks(assets) for r in c.execute(
                "SELECT id FROM annotations WHERE version_id=? AND asset_id IN (%s)"
                % marks(part), [v["id"]] + part)]
        _delete_annotations(c, ids)
    return NO_CONTENT


# ---- shapes ---------------------------------------------------------------------------------

def _int(value, key):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiError(400, "Invalid %s" % key, "%s must be a number" % key)
    return int(round(value))


def _pairs(value, key, least):
    if not isinstance(value, list) or len(value) < least:
        raise ApiError(400, "Invalid %s" % key, "%s must be a list of at least %d [x, y] pairs"
                       % (key, least))
    return [[_int(p[0], key), _int(p[1], key)] if isinstance(p, list) and len(p) == 2 else
            _bad_pair(key) for p in value]


def _bad_pair(key):
    raise ApiError(400, "Invalid %s" % key, "each point of %s must be [x, y]" % key)


def _label_of(c, version_id, label_id):
    row = c.execute("SELECT id FROM labels WHERE id=? AND version_id=?",
                    (label_id, version_id)).fetchone()
    if row is None:
        raise ApiError(400, "Invalid label_id", "label %r is not a label of this dataset "
                       "version" % (label_id,))
    return row[0]


def shape_values(c, kind, item, version_id, old=None):
    """The columns of a shape from a create item or a PATCH body (OLD: the current row)."""
    pick = (lambda k: item[k] if k in item else (old[k] if old is not None else None))
    cols = {"label_id": old["label_id"] if old is not None else None,
            "text": item.get("text", old["text"] if old is not None else None),
            "x": None, "y": None, "w": None, "h": None, "coords": None, "ord": None}
    if "label_id" in item or old is None:
        cols["label_id"] = _label_of(c, version_id, item.get("label_id"))
    if cols["text"] is not None and not isinstance(cols["text"], str):
        raise ApiError(400, "Invalid text", "text must be a string or null")
    if kind == "rectangle":
        for k in "xywh":
            cols[k] = _int(pick(k), k)
        if cols["w"] < 0 or cols["h"] < 0:
            raise ApiError(400, "Invalid rectangle", "w and h must not be negative")
    elif kind in ("polygon", "line"):
        value = item[kind] if kind in item else json.loads(old["coords"])
        cols["coords"] = json.dumps(_pairs(value, kind, 3 if kind == "polygon" else 2))
    elif kind == "point":
        value = item["point"] if "point" in item else json.loads(old["coords"])
        cols["coords"] = json.dumps(_pairs([value], "point", 1)[0])
        order = item.get("order", old["ord"] if old is not None else 0)
        cols["ord"] = _int(order, "order") if order is not None else 0
    return cols


def insert_shape(c, ann, kind, item):
    if not isinstance(item, dict) or "label_id" not in item:
        raise ApiError(400, "Invalid %s" % kind, "each %s needs a label_id" % kind)
    cols = shape_values(c, kind, item, ann["version_id"])
    ident = new_id()
    c.execute("INSERT INTO shapes(id, annotation_id, kind, label_id, text, x, y, w, h, coords, "
              "ord) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
              (ident, ann["id"], kind, cols["label_id"], cols["text"], cols["x"], cols["y"],
               cols["w"], cols["h"], cols["coords"], cols["ord"]))
    return ident


def _shape_out(c, ids):
    rows = [get(c, "shapes", i, "Shape") for i in ids]
    labels = labels_of(c, [r["label_id"] for r in rows])
    return [shape_json(r, labels) for r in rows]


@route("POST", "/api/annotation/{id}/bulk-(?P<kinds>rectangles|polygons|lines|points|classifications)")
def shapes_bulk(req):
    plural = req.p["kinds"]
    items = req.obj().get(plural)
    if not isinstance(items, list):
        raise ApiError(400, "Invalid body", "expected {\"%s\": [...]}" % plural)
    with write(req) as c:
        ann = get(c, "annotations", req.p["id"], "Annotation")
        unlocked(c, ann["version_id"])
        ids = [insert_shape(c, ann, KIND_OF[plural], item) for item in items]
        return 201, {plural: _shape_out(c, ids)}


@route("POST", "/api/annotation/{id}/save")
def annotation_save(req):
    """Replaces every shape of the annotation with those of the body (spec §7.2)."""
    body = req.obj()
    with write(req) as c:
        ann = get(c, "annotations", req.p["id"], "Annotation")
        unlocked(c, ann["version_id"])
        c.execute("DELETE FROM shapes WHERE annotation_id=?", (ann["id"],))
        for kind in SHAPE_KINDS:
            items = body.get(PLURAL[kind]) or []
            if not isinstance(items, list):
                raise ApiError(400, "Invalid %s" % PLURAL[kind], "expected a list")
            for item in items:
                insert_shape(c, ann, kind, item)
        c.execute("UPDATE annotations SET duration=? WHERE id=?",
                  (_duration(body, ann["duration"]), ann["id"]))
        return 200, annotation_json(get(c, "annotations", ann["id"], "Annotation"))


@route("PATCH", SHAPE_PATH)
def shape_patch(req):
    body = req.obj()
    with write(req) as c:
        row = shape_row(req)
        ann = get(c, "annotations", row["annotation_id"], "Annotation")
        unlocked(c, ann["version_id"])
        cols = shape_values(c, row["kind"], body, ann["version_id"], row)
        c.execute("UPDATE shapes SET label_id=?, text=?, x=?, y=?, w=?, h=?, coords=?, ord=? "
                  "WHERE id=?", (cols["label_id"], cols["text"], cols["x"], cols["y"], cols["w"],
                                 cols["h"], cols["coords"], cols["ord"], row["id"]))
        return 200, _shape_out(c, [row["id"]])[0]


@route("DELETE", SHAPE_PATH)
def shape_delete(req):
    with write(req) as c:
        row = shape_row(req)
        ann = get(c, "annotations", row["annotation_id"], "Annotation")
        unlocked(c, ann["version_id"])
        c.execute("DELETE FROM shapes WHERE id=?", (row["id"],))
    return NO_CONTENT


# ---- export ---------------------------------------------------------------------------------

@route("POST", "/api/dataset/version/{id}/annotations/export")
def annotations_export(req):
    """A COCO file of the version, stored as an object and handed out by presigned URL.
    [?] the spec gives only the answer's keys; other formats answer 400 here."""
    body = req.obj()
    if body.get("type", "COCO") != "COCO":
        raise ApiError(400, "Unsupported export type", "the stand-in exports COCO only")
    v = get(req.db, "versions", req.p["id"], "Dataset version")
    coco = _coco(req.db, v["id"], body.get("asset_ids"), body.get("use_id"))
    name = "exports/%s/%s.json" % (v["id"], new_id())
    with write(req) as c:
        c.execute("INSERT INTO objects VALUES(?,?,?)", (name, "application/json",
                                                       json.dumps(coco).encode()))
    return 200, {"object_name": name, "presigned_url": req.app.presign(name)}


def _coco(db, version_id, asset_ids, use_id):
    labels = db.execute("SELECT * FROM labels WHERE version_id=? ORDER BY seq",
                        (version_id,)).fetchall()
    cat = {r["id"]: i + 1 for i, r in enumerate(labels)}
    rows = db.execute("SELECT a.id AS aid, d.filename, d.width, d.height FROM assets a JOIN "
                      "datas d ON d.id=a.data_id WHERE a.version_id=? ORDER BY a.seq",
                      (version_id,)).fetchall()
    if asset_ids:
        rows = [r for r in rows if r["aid"] in set(asset_ids)]
    images, anns, img_of = [], [], {}
    for i, r in enumerate(rows, 1):
        img_of[r["aid"]] = i
        name = r["aid"] + r["filename"][r["filename"].rfind("."):] if use_id else r["filename"]
        images.append({"id": i, "file_name": name, "width": r["width"], "height": r["height"]})
    for s in db.execute("SELECT s.*, n.asset_id FROM shapes s JOIN annotations n ON "
                        "n.id=s.annotation_id WHERE n.version_id=? AND s.kind IN "
                        "('rectangle','polygon') ORDER BY s.seq", (version_id,)):
        if s["asset_id"] not in img_of:
            continue
        item = {"id": len(anns) + 1, "image_id": img_of[s["asset_id"]],
                "category_id": cat.get(s["label_id"]), "iscrowd": 0}
        if s["kind"] == "rectangle":
            item["bbox"] = [s["x"], s["y"], s["w"], s["h"]]
            item["area"] = s["w"] * s["h"]
        else:
            pts = json.loads(s["coords"])
            item["segmentation"] = [[v for p in pts for v in p]]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            item["bbox"] = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
        anns.append(item)
    return {"info": {"description": "exported by the stand-in"}, "images": images,
            "annotations": anns,
            "categories": [{"id": cat[r["id"]], "name": r["name"]} for r in labels]}
