"""Read routes: ping, organization, users, datalakes and data, datasets, versions, assets,
labels, tags, annotations and shapes, campaigns and steps (spec §2-§8)."""

import json

import qlang
from api import (ASSET_SELECT, ApiError, KIND_OF, PLURAL, Req, annotation_json, assets_json,
                 campaign_json, chunks, data_json, dataset_json, envelope, label_json, labels_of,
                 marks, one, order_clause, route, shape_body, shape_json, shapes_by_annotation, step_json,
                 tag_json, tags_of, version_json, assignment_json)
from store import SHAPE_KINDS

SDK_VERSION = "6.28.1"
SHAPE_PATH = "/api/(?P<kind>rectangle|polygon|line|point|classification)/{id}"
TAGS_OF = ("EXISTS(SELECT 1 FROM tag_links l JOIN tags t ON t.id=l.tag_id "
           "WHERE l.target_id={target} AND {{cond}})")


def _lookup(req, table, key, what):
    return one(req.db, "SELECT * FROM %s WHERE id=?" % table, (req.p[key],), what)


def org_of(req):
    return _lookup(req, "orgs", "org", "Organization")


# ---- ping, organization, users -------------------------------------------------------------

@route("GET", "/api/home/ping")
def ping(req: Req):
    org = req.db.execute("SELECT org_id FROM members WHERE user_id=? ORDER BY rowid",
                         (req.user["id"],)).fetchone()
    return 200, {"sdk_version": SDK_VERSION, "username": req.user["username"],
                 "default_organization": org[0] if org else None}


def _org_json(row):
    return {"id": row["id"], "name": row["name"],
            "default_connector_id": row["default_connector_id"]}


@route("GET", "/api/organizations/find")
def org_find(req):
    row = one(req.db, "SELECT * FROM orgs WHERE name=?", (req.q("name"),), "Organization")
    return 200, _org_json(row)


@route("GET", "/api/organization/{org}")
def org_get(req):
    return 200, _org_json(org_of(req))


def _users(req, where, args):
    username = req.q("username")
    sql = "SELECT u.id, u.username FROM users u JOIN members m ON m.user_id=u.id WHERE " + where
    if username is not None:
        sql += " AND u.username=?"
        args = args + (username,)
    rows = req.db.execute(sql + " ORDER BY u.username", args).fetchall()
    return 200, {"users": [{"id": r["id"], "username": r["username"]} for r in rows]}


@route("GET", "/api/access/organization/{org}/users")
def org_users(req):
    org_of(req)
    return _users(req, "m.org_id=?", (req.p["org"],))


@route("GET", "/api/access/dataset/{id}/users")
def dataset_users(req):
    ds = _lookup(req, "datasets", "id", "Dataset")
    return _users(req, "m.org_id=?", (ds["org_id"],))  # [?] everyone of the organization


# ---- datalakes and data ---------------------------------------------------------------------

def _lake_json(row):
    return {"id": row["id"], "name": row["name"], "connector_id": row["connector_id"],
            "organization_id": row["org_id"]}


@route("GET", "/api/organization/{org}/datalake")
def org_datalake(req):
    org_of(req)
    if req.q("id"):
        sql, args = "id=?", (req.q("id"),)
    elif req.q("name"):
        sql, args = "name=?", (req.q("name"),)
    else:
        sql, args = "is_default=1", ()
    row = one(req.db, "SELECT * FROM datalakes WHERE org_id=? AND " + sql,
              (req.p["org"],) + args, "Datalake")
    return 200, _lake_json(row)


@route("GET", "/api/organization/{org}/datalakes")
def org_datalakes(req):
    org_of(req)
    rows = req.db.execute("SELECT * FROM datalakes WHERE org_id=? ORDER BY seq",
                          (req.p["org"],)).fetchall()
    return 200, envelope([_lake_json(r) for r in rows], len(rows))


@route("GET", "/api/datalake/{id}")
def datalake_get(req):
    return 200, _lake_json(_lookup(req, "datalakes", "id", "Datalake"))


DATA_FIELDS = {
    "tags.name": qlang.exists(TAGS_OF.format(target="d.id"), "t.name"),
    "filename": qlang.column("d.filename"), "object_name": qlang.column("d.object_name"),
    "id": qlang.column("d.id"), "type": qlang.column("d.type"),
    "content_type": qlang.column("d.content_type"),
    "upload_status": qlang.column("d.upload_status"),
    "width": qlang.column("d.width"), "height": qlang.column("d.height"),
    "meta.width": qlang.column("d.width"), "meta.height": qlang.column("d.height"),
}
DATA_ORDER = {"filename": "d.filename", "created_at": "d.seq", "id": "d.id",
              "object_name": "d.object_name", "upload_status": "d.upload_status"}


class Where:
    """WHERE clauses and their arguments, built up filter by filter."""

    def __init__(self, sql, *args):
        self.parts = [sql]
        self.args = list(args)

    def add(self, sql, args=()):
        self.parts.append(sql)
        self.args.extend(args)

    def sql(self):
        return " WHERE " + " AND ".join("(%s)" % p for p in self.parts)


def _common_filters(req, where, src, fields, prefix="d."):
    """q, upload_statuses, types and custom_metadata (spec §3.2, §3.4, §6.4). SRC is the XGET
    body or None for a GET."""
    get = (lambda k: src.get(k)) if src is not None else None
    q = get("q") if get else req.q("q")
    if q is None and get:
        q = req.q("q")
    if q:
        try:
            sql, args = qlang.compile_query(q, fields)
        except qlang.QueryError as exc:
            raise ApiError(400, "Invalid query", str(exc))
        where.add(sql, args)
    for key, col in (("upload_statuses", "upload_status"), ("types", "type")):
        values = (get(key) if get else None) or req.qlist(key)
        if values:
            if not isinstance(values, list):
                raise ApiError(400, "Invalid %s" % key, "expected a list")
            where.add("%s%s IN (%s)" % (prefix, col, marks(values)), values)
    custom = req.q("custom_metadata")
    if custom:
        try:
            custom = json.loads(custom)
            assert isinstance(custom, dict)
        except (ValueError, AssertionError):
            raise ApiError(400, "Invalid custom_metadata", "expected a JSON object")
        for key, value in custom.items():
            path = '$."%s"' % key.replace('"', '')
            if isinstance(value, (dict, list)):
                where.add("json_extract(%scustom_metadata, ?) = json(?)" % prefix,
                          (path, json.dumps(value)))
            else:
                where.add("json_extract(%scustom_metadata, ?) = ?" % prefix,
                          (path, int(value) if isinstance(value, bool) else value))


def _xget_filter(req, where, allowed):
    """The one list-filter key of an XGET body (spec §1.7)."""
    body = req.obj()
    keys = [k for k in allowed if k in body]
    if len(keys) > 1:
        raise ApiError(400, "Only one list filter at a time", "got " + ", ".join(keys))
    if keys:
        values = body[keys[0]]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ApiError(400, "Invalid %s" % keys[0], "expected a list of strings")
        if len(values) > 1000:
            raise ApiError(400, "Too many values", "at most 1000 per call, got %d" % len(values))
        if keys[0] == "filename_startswith":
            if values:
                where.add(" OR ".join(["substr(d.filename, 1, length(?)) = ?"] * len(values)),
                          [v for v in values for _ in (0, 1)])
            else:
                where.add("0")
        else:
            where.add("%s IN (%s)" % (allowed[keys[0]], marks(values)) if values else "0",
                      values)
    return body


def _datas_where(req, lake_id):
    where = Where("d.datalake_id=?", lake_id)
    body = None
    if req.method == "XGET":
        body = _xget_filter(req, where, {"ids": "d.id", "filenames": "d.filename",
                                         "object_names": "d.object_name"})
    _common_filters(req, where, body, DATA_FIELDS)
    return where


def _page_sql(req, order):
    """LIMIT/OFFSET for a GET; an XGET returns every match of its chunk (spec §1.7)."""
    if req.method == "XGET":
        return order, []
    limit, offset = req.page()
    return order + " LIMIT ? OFFSET ?", [limit, offset]


@route("GET XGET", "/api/datalake/{id}/datas")
def datas_list(req):
    lake = _lookup(req, "datalakes", "id", "Datalake")
    where = _datas_where(req, lake["id"])
    tail, targs = _page_sql(req, order_clause(req, DATA_ORDER, "d.seq"))
    count = req.db.execute("SELECT count(*) FROM datas d" + where.sql(), where.args).fetchone()[0]
    rows = req.db.execute("SELECT d.* FROM datas d" + where.sql() + tail,
                          where.args + targs).fetchall()
    tags = tags_of(req.db, [r["id"] for r in rows])
    return 200, envelope([data_json(req.app, r, tags[r["id"]]) for r in rows], count)


@route("GET", "/api/datalake/{id}/datas/find")
def datas_find(req):
    lake = _lookup(req, "datalakes", "id", "Datalake")
    where = Where("d.datalake_id=?", lake["id"])
    for key in ("id", "filename", "object_name"):
        if req.q(key) is not None:
            where.add("d.%s=?" % key, [req.q(key)])
    _common_filters(req, where, None, DATA_FIELDS)
    rows = req.db.execute("SELECT d.* FROM datas d" + where.sql() + " ORDER BY d.seq LIMIT 2",
                          where.args).fetchall()
    if not rows:
        raise ApiError(404, "Data not found", "no data matches in this datalake")
    if len(rows) > 1:
        raise ApiError(400, "More than one data matches", "give a more precise filter")
    return 200, data_json(req.app, rows[0], tags_of(req.db, [rows[0]["id"]])[rows[0]["id"]])


@route("GET", "/api/data/{id}")
def data_get(req):
    row = _lookup(req, "datas", "id", "Data")
    return 200, data_json(req.app, row, tags_of(req.db, [row["id"]])[row["id"]])


@route("GET", "/api/data/{id}/presigned-url")
def data_presigned(req):
    row = _lookup(req, "datas", "id", "Data")
    return 200, {"presigned_url": req.app.presign(row["object_name"])}


@route("POST", "/api/object-storage/{connector}/retrieve_presigned_url")
def storage_presign(req):
    name = req.obj().get("object_name")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "Invalid body", "object_name is required")
    return 200, {"presigned_url": req.app.presign(name)}


# ---- tags -----------------------------------------------------------------------------------

def tag_list(req, scope, target_type):
    limit, offset = req.page()
    where = "scope_id=? AND target_type=?"
    args = (scope, target_type)
    count = req.db.execute("SELECT count(*) FROM tags WHERE " + where, args).fetchone()[0]
    rows = req.db.execute("SELECT * FROM tags WHERE " + where +
                          order_clause(req, {"name": "name", "created_at": "seq"}) +
                          " LIMIT ? OFFSET ?", args + (limit, offset)).fetchall()
    return 200, envelope([tag_json(r) for r in rows], count)


def tag_find(req, scope, target_type):
    row = one(req.db, "SELECT * FROM tags WHERE scope_id=? AND target_type=? AND name=?",
              (scope, target_type, req.q("name")), "Tag")
    return 200, tag_json(row)


@route("GET", "/api/datalake/{id}/tags")
def datalake_tags(req):
    return tag_list(req, _lookup(req, "datalakes", "id", "Datalake")["id"], "DATA")


@route("GET", "/api/datalake/{id}/tags/find")
def datalake_tag_find(req):
    return tag_find(req, _lookup(req, "datalakes", "id", "Datalake")["id"], "DATA")


@route("GET", "/api/dataset/version/{id}/tags")
def version_tags(req):
    return tag_list(req, _lookup(req, "versions", "id", "Dataset version")["id"], "ASSET")


@route("GET", "/api/dataset/version/{id}/tags/find")
def version_tag_find(req):
    return tag_find(req, _lookup(req, "versions", "id", "Dataset version")["id"], "ASSET")


@route("GET", "/api/organization/{org}/tags")
def org_tags(req):
    return tag_list(req, org_of(req)["id"], req.q("target_type", "DATASET"))


@route("GET", "/api/organization/{org}/tags/find")
def org_tag_find(req):
    return tag_find(req, org_of(req)["id"], req.q("target_type", "DATASET"))


@route("GET", "/api/tag/{id}")
def tag_get(req):
    return 200, tag_json(_lookup(req, "tags", "id", "Tag"))


# ---- datasets and versions ------------------------------------------------------------------

@route("GET", "/api/organization/{org}/datasets")
def datasets_list(req):
    org = org_of(req)
    limit, offset = req.page()
    count = req.db.execute("SELECT count(*) FROM datasets WHERE org_id=?",
                           (org["id"],)).fetchone()[0]
    rows = req.db.execute("SELECT * FROM datasets WHERE org_id=?" +
                          order_clause(req, {"name": "name", "created_at": "seq"}) +
                          " LIMIT ? OFFSET ?", (org["id"], limit, offset)).fetchall()
    return 200, envelope([dataset_json(req.db, r) for r in rows], count)


@route("GET", "/api/organization/{org}/datasets/find")
def datasets_find(req):
    org = org_of(req)
    key = "id" if req.q("id") else "name"
    row = one(req.db, "SELECT * FROM datasets WHERE org_id=? AND %s=?" % key,
              (org["id"], req.q(key)), "Dataset")
    return 200, dataset_json(req.db, row, True)


@route("GET", "/api/dataset/{id}")
def dataset_get(req):
    return 200, dataset_json(req.db, _lookup(req, "datasets", "id", "Dataset"), True)


@route("GET", "/api/dataset/{id}/versions")
def versions_list(req):
    ds = _lookup(req, "datasets", "id", "Dataset")
    limit, offset = req.page()
    count = req.db.execute("SELECT count(*) FROM versions WHERE dataset_id=?",
                           (ds["id"],)).fetchone()[0]
    rows = req.db.execute("SELECT * FROM versions WHERE dataset_id=?" +
                          order_clause(req, {"version": "version", "created_at": "seq"}) +
                          " LIMIT ? OFFSET ?", (ds["id"], limit, offset)).fetchall()
    return 200, envelope([version_json(req.db, r) for r in rows], count)


@route("GET", "/api/dataset/{id}/versions/find")
def versions_find(req):
    ds = _lookup(req, "datasets", "id", "Dataset")
    key = "id" if req.q("id") else "version"
    row = one(req.db, "SELECT * FROM versions WHERE dataset_id=? AND %s=?" % key,
              (ds["id"], req.q(key)), "Dataset version")
    return 200, version_json(req.db, row)


@route("GET", "/api/organization/{org}/datasetversions/find")
def org_version_find(req):
    org = org_of(req)
    row = one(req.db, "SELECT v.* FROM versions v JOIN datasets d ON d.id=v.dataset_id "
              "WHERE d.org_id=? AND v.id=?", (org["id"], req.q("id")), "Dataset version")
    return 200, version_json(req.db, row)


@route("GET", "/api/dataset/version/{id}")
def version_get(req):
    return 200, version_json(req.db, _lookup(req, "versions", "id", "Dataset version"))


# ---- assets ---------------------------------------------------------------------------------

ASSET_FIELDS = dict(
    {"data." + k: v for k, v in DATA_FIELDS.items()},
    **{"tags.name": qlang.exists(TAGS_OF.format(target="a.id"), "t.name"),
       "data.tags.name": qlang.exists(TAGS_OF.format(target="d.id"), "t.name"),
       "filename": qlang.column("d.filename"), "object_name": qlang.column("d.object_name"),
       "id": qlang.column("a.id"), "data_id": qlang.column("a.data_id"),
       "annotations.status": qlang.exists(
           "EXISTS(SELECT 1 FROM annotations n WHERE n.asset_id=a.id AND {cond})", "n.status")})
for _kind in SHAPE_KINDS:
    ASSET_FIELDS["annotations.%s.label.name" % PLURAL[_kind]] = qlang.exists(
        "EXISTS(SELECT 1 FROM annotations n JOIN shapes s ON s.annotation_id=n.id JOIN labels lb "
        "ON lb.id=s.label_id WHERE n.asset_id=a.id AND s.kind='%s' AND {cond})" % _kind, "lb.name")
ASSET_ORDER = {"filename": "d.filename", "created_at": "a.seq", "id": "a.id",
               "data.filename": "d.filename"}
ASSIGN_COLS = ("g.id AS g_id, g.asset_id AS g_asset_id, g.step_id AS g_step_id, "
               "g.user_id AS g_user_id, g.status AS g_status, "
               "g.rejected_count AS g_rejected_count, g.comment AS g_comment")


def _assignment_join(req):
    """[A] spec §6.4/§12.1: the assignment filters read the asset's current assignment, or with
    assignment_step_id its latest assignment in that step. Returns (join sql, args, wheres)."""
    step, user, status = (req.q("assignment_step_id"), req.q("assignment_user_id"),
                          req.q("assignment_status"))
    if step is None and user is None and status is None:
        return None
    if step is not None:
        join = (" JOIN assignments g ON g.asset_id=a.id AND g.seq=(SELECT max(seq) FROM "
                "assignments WHERE asset_id=a.id AND step_id=?)")
        args = [step]
    else:
        join, args = " JOIN assignments g ON g.asset_id=a.id AND g.is_current=1", []
    wheres = []
    if user is not None:
        wheres.append(("g.user_id=?", [user]))
    if status is not None:
        wheres.append(("g.status=?", [status]))
    return join, args, wheres


def asset_rows(req, version_id):
    """The asset listing (GET and XGET) of a version: (rows, count, with assignment)."""
    where = Where("a.version_id=?", version_id)
    body = None
    if req.method == "XGET":
        body = _xget_filter(req, where, {"ids": "a.id", "filenames": "d.filename",
                                         "object_names": "d.object_name",
                                         "filename_startswith": None, "data_ids": "a.data_id"})
    _common_filters(req, where, body, ASSET_FIELDS)
    joined = _assignment_join(req)
    src = " FROM assets a JOIN datas d ON d.id=a.data_id"
    cols = ASSET_SELECT
    jargs = []
    if joined:
        src += joined[0]
        jargs = joined[1]
        cols += ", " + ASSIGN_COLS
        for sql, args in joined[2]:
            where.add(sql, args)
    tail, targs = _page_sql(req, order_clause(req, ASSET_ORDER, "a.seq"))
    count = req.db.execute("SELECT count(*)" + src + where.sql(),
                           jargs + where.args).fetchone()[0]
    rows = req.db.execute(cols + src + where.sql() + tail, jargs + where.args + targs).fetchall()
    return rows, count, bool(joined)


def _assets_out(req, rows, with_assignment):
    items = assets_json(req.app, req.db, rows)
    if with_assignment:
        for item, r in zip(items, rows):
            item["assignment"] = {k: r["g_" + k] for k in
                                  ("id", "step_id", "user_id", "status", "rejected_count",
                                   "comment")}
    return items


@route("GET XGET", "/api/dataset/version/{id}/assets")
def assets_list(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    rows, count, assigned = asset_rows(req, version["id"])
    return 200, envelope(_assets_out(req, rows, assigned), count)


@route("GET", "/api/dataset/version/{id}/assets/find")
def assets_find(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    where = Where("a.version_id=?", version["id"])
    for key, col in (("id", "a.id"), ("data_id", "a.data_id"), ("filename", "d.filename"),
                     ("object_name", "d.object_name")):
        if req.q(key) is not None:
            where.add(col + "=?", [req.q(key)])
    rows = req.db.execute(ASSET_SELECT + " FROM assets a JOIN datas d ON d.id=a.data_id" +
                          where.sql() + " ORDER BY a.seq LIMIT 2", where.args).fetchall()
    if not rows:
        raise ApiError(404, "Asset not found", "no asset matches in this dataset version")
    return 200, assets_json(req.app, req.db, rows[:1])[0]


def _extended_annotation(row, shapes):
    out = annotation_json(row)
    for plural, items in shapes.items():
        out[plural] = [dict({"id": s["id"], "label_id": s["label_id"], "text": s["text"]},
                            **_shape_keys(s)) for s in items]
    out["keypoints"] = []
    return out


def _shape_keys(row):
    return shape_body(row)


@route("GET", "/api/dataset/version/{id}/assets/extended")
def assets_extended(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    rows, count, assigned = asset_rows(req, version["id"])
    items = _assets_out(req, rows, assigned)
    by_asset = {i["id"]: i for i in items}
    for item in items:
        item["annotations"] = []
    anns = []
    for part in chunks(by_asset.keys()):
        anns += req.db.execute("SELECT * FROM annotations WHERE asset_id IN (%s) "
                               "ORDER BY seq DESC" % marks(part), part).fetchall()
    shapes = shapes_by_annotation(req.db, [a["id"] for a in anns])
    for a in anns:
        by_asset[a["asset_id"]]["annotations"].append(_extended_annotation(a, shapes[a["id"]]))
    return 200, envelope(items, count)


@route("GET", "/api/asset/{id}")
def asset_get(req):
    row = one(req.db, ASSET_SELECT + " FROM assets a JOIN datas d ON d.id=a.data_id "
              "WHERE a.id=?", (req.p["id"],), "Asset")
    return 200, assets_json(req.app, req.db, [row])[0]


# ---- labels, stats --------------------------------------------------------------------------

@route("GET", "/api/dataset/version/{id}/labels")
def labels_list(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    limit, offset = req.page()
    count = req.db.execute("SELECT count(*) FROM labels WHERE version_id=?",
                           (version["id"],)).fetchone()[0]
    rows = req.db.execute("SELECT * FROM labels WHERE version_id=?" +
                          order_clause(req, {"name": "name", "created_at": "seq"}) +
                          " LIMIT ? OFFSET ?", (version["id"], limit, offset)).fetchall()
    return 200, envelope([label_json(r) for r in rows], count)


@route("GET", "/api/dataset/version/{id}/labels/find")
def labels_find(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    row = one(req.db, "SELECT * FROM labels WHERE version_id=? AND name=?",
              (version["id"], req.q("name")), "Label")
    return 200, label_json(row)


@route("GET", "/api/label/{id}")
def label_get(req):
    return 200, label_json(_lookup(req, "labels", "id", "Label"))


@route("GET", "/api/dataset/version/{id}/stats")
def version_stats(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    rep = {r[0]: r[1] for r in req.db.execute(
        "SELECT lb.name, count(*) FROM shapes s JOIN annotations n ON n.id=s.annotation_id "
        "JOIN labels lb ON lb.id=s.label_id WHERE n.version_id=? GROUP BY lb.name "
        "ORDER BY lb.name", (version["id"],))}
    nb_ann = req.db.execute("SELECT count(*) FROM annotations WHERE version_id=?",
                            (version["id"],)).fetchone()[0]
    return 200, {"label_repartition": rep, "nb_objects": sum(rep.values()),
                 "nb_annotations": nb_ann}


# ---- annotations and shapes -----------------------------------------------------------------

def _status_filter(req, where):
    statuses = req.qlist("status")
    if statuses:
        where.add("n.status IN (%s)" % marks(statuses), statuses)


@route("GET", "/api/dataset/version/{id}/annotations")
def annotations_list(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    where = Where("n.version_id=?", version["id"])
    _status_filter(req, where)
    limit, offset = req.page()
    count = req.db.execute("SELECT count(*) FROM annotations n" + where.sql(),
                           where.args).fetchone()[0]
    rows = req.db.execute("SELECT n.* FROM annotations n" + where.sql() +
                          order_clause(req, {"created_at": "n.seq", "status": "n.status",
                                             "duration": "n.duration"}, "n.seq") +
                          " LIMIT ? OFFSET ?", where.args + [limit, offset]).fetchall()
    return 200, envelope([annotation_json(r) for r in rows], count)


@route("GET", "/api/dataset/version/{id}/annotations/ids")
def annotations_ids(req):
    version = _lookup(req, "versions", "id", "Dataset version")
    where = Where("n.version_id=?", version["id"])
    _status_filter(req, where)
    assets = req.qlist("asset_ids")
    if assets:
        where.add("n.asset_id IN (%s)" % marks(assets), assets)
    rows = req.db.execute("SELECT n.id FROM annotations n" + where.sql() + " ORDER BY n.seq",
                          where.args).fetchall()
    return 200, [r[0] for r in rows]


@route("XGET", "/api/dataset/version/{id}/annotations")
def annotations_load(req):
    """Spec §7.6: annotations with their shapes, newest first; in this route a shape's `label`
    is the label name [I] (the COCO builder keys on it), with `label_id` beside it."""
    version = _lookup(req, "versions", "id", "Dataset version")
    ids = req.id_list()
    if len(ids) > 1000:
        raise ApiError(400, "Too many ids", "at most 1000 per call, got %d" % len(ids))
    rows = []
    for part in chunks(ids):
        rows += req.db.execute("SELECT * FROM annotations WHERE version_id=? AND id IN (%s)"
                               % marks(part), [version["id"]] + part).fetchall()
    rows.sort(key=lambda r: -r["seq"])
    shapes = shapes_by_annotation(req.db, [r["id"] for r in rows])
    labels = labels_of(req.db, [s["label_id"] for d in shapes.values() for v in d.values()
                                for s in v])
    out = []
    for r in rows:
        item = annotation_json(r)
        for plural, items in shapes[r["id"]].items():
            item[plural] = [dict({"id": s["id"], "label_id": s["label_id"], "text": s["text"],
                                  "label": (labels.get(s["label_id"]) or {}).get("name")},
                                 **_shape_keys(s)) for s in items]
        item["keypoints"] = []
        out.append(item)
    return 200, out


@route("GET", "/api/asset/{id}/annotations")
def asset_annotations(req):
    asset = _lookup(req, "assets", "id", "Asset")
    rows = req.db.execute("SELECT * FROM annotations WHERE asset_id=? ORDER BY seq",
                          (asset["id"],)).fetchall()
    return 200, envelope([annotation_json(r) for r in rows], len(rows))


@route("GET", "/api/asset/{id}/annotations/find")
def asset_annotation_find(req):
    asset = _lookup(req, "assets", "id", "Asset")
    row = one(req.db, "SELECT * FROM annotations WHERE asset_id=? ORDER BY seq DESC LIMIT 1",
              (asset["id"],), "Annotation")
    return 200, annotation_json(row)


@route("GET", "/api/annotation/{id}")
def annotation_get(req):
    return 200, annotation_json(_lookup(req, "annotations", "id", "Annotation"))


@route("GET", "/api/annotation/{id}/(?P<kinds>rectangles|polygons|lines|points|classifications)")
def annotation_shapes(req):
    kind = KIND_OF.get(req.p["kinds"])
    if kind is None:
        raise ApiError(404, "Not found", "no shape kind %r" % req.p["kinds"])
    ann = _lookup(req, "annotations", "id", "Annotation")
    rows = req.db.execute("SELECT * FROM shapes WHERE annotation_id=? AND kind=? ORDER BY seq",
                          (ann["id"], kind)).fetchall()
    labels = labels_of(req.db, [r["label_id"] for r in rows])
    return 200, envelope([shape_json(r, labels) for r in rows], len(rows))


def shape_row(req):
    kind = req.p["kind"]
    if kind not in SHAPE_KINDS:
        raise ApiError(404, "Not found", "no route for %s" % req.path)
    return one(req.db, "SELECT * FROM shapes WHERE id=? AND kind=?", (req.p["id"], kind),
               kind.capitalize())


@route("GET", SHAPE_PATH)
def shape_get(req):
    row = shape_row(req)
    return 200, shape_json(row, labels_of(req.db, [row["label_id"]]))


# ---- campaigns and steps --------------------------------------------------------------------

@route("GET", "/api/organization/{org}/annotationcampaigns")
def org_campaigns(req):
    org = org_of(req)
    where = Where("org_id=?", org["id"])
    closed = req.qbool("is_closed")
    if closed is not None:
        where.add("is_closed=?", [int(closed)])
    limit, offset = req.page()
    count = req.db.execute("SELECT count(*) FROM campaigns" + where.sql(),
                           where.args).fetchone()[0]
    rows = req.db.execute("SELECT * FROM campaigns" + where.sql() + " ORDER BY seq LIMIT ? "
                          "OFFSET ?", where.args + [limit, offset]).fetchall()
    return 200, envelope([campaign_json(r) for r in rows], count)


@route("GET", "/api/organization/{org}/reviewcampaigns")
def org_review_campaigns(req):
    org_of(req)
    req.qbool("is_closed")
    return 200, envelope([], 0)  # the stand-in has no deployments, so no review campaigns


@route("GET", "/api/campaigns/annotation/{id}")
def campaign_get(req):
    return 200, campaign_json(_lookup(req, "campaigns", "id", "Campaign"))


@route("GET", "/api/campaigns/annotation/{id}/steps")
def campaign_steps(req):
    camp = _lookup(req, "campaigns", "id", "Campaign")
    rows = req.db.execute("SELECT * FROM steps WHERE campaign_id=? ORDER BY ord",
                          (camp["id"],)).fetchall()
    return 200, envelope([step_json(req.db, r) for r in rows], len(rows))


@route("GET", "/api/campaigns/annotation/steps/{id}")
def step_get(req):
    return 200, step_json(req.db, _lookup(req, "steps", "id", "Step"))


@route("GET", "/api/campaigns/annotation/assignments/{id}")
def assignment_get(req):
    """[A] not in the SDK: one assignment by id, for a client checking a task's state."""
    return 200, assignment_json(_lookup(req, "assignments", "id", "Assignment"))
