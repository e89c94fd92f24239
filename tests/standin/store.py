"""The stand-in's state: one SQLite file in --state, a connection per thread, writes serialised.

The schema mirrors the platform objects of the spec (organization, users, datalake, data, tags,
datasets, versions, assets, labels, annotations, shapes, campaigns, steps, assignments) and the
seeds that fill an empty state deterministically.
"""

import json
import os
import secrets
import sqlite3
import threading
from contextlib import contextmanager

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS users(id TEXT PRIMARY KEY, username TEXT UNIQUE, token TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS orgs(id TEXT PRIMARY KEY, name TEXT UNIQUE, default_connector_id TEXT);
CREATE TABLE IF NOT EXISTS members(org_id TEXT, user_id TEXT, role TEXT, PRIMARY KEY(org_id, user_id));
CREATE TABLE IF NOT EXISTS datalakes(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, org_id TEXT, name TEXT,
  connector_id TEXT, is_default INTEGER);
CREATE TABLE IF NOT EXISTS datas(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, datalake_id TEXT,
  filename TEXT, object_name TEXT, type TEXT, content_type TEXT, upload_status TEXT,
  width INTEGER, height INTEGER, metadata TEXT, custom_metadata TEXT, created_at TEXT);
CREATE INDEX IF NOT EXISTS datas_lake ON datas(datalake_id, seq);
CREATE INDEX IF NOT EXISTS datas_filename ON datas(datalake_id, filename);
CREATE INDEX IF NOT EXISTS datas_object ON datas(object_name);
CREATE TABLE IF NOT EXISTS tags(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT,
  target_type TEXT, scope_id TEXT, created_at TEXT, UNIQUE(scope_id, target_type, name));
CREATE TABLE IF NOT EXISTS tag_links(tag_id TEXT, target_id TEXT, PRIMARY KEY(tag_id, target_id))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tag_links_target ON tag_links(target_id);
CREATE TABLE IF NOT EXISTS datasets(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, org_id TEXT,
  name TEXT, description TEXT, created_at TEXT, UNIQUE(org_id, name));
CREATE TABLE IF NOT EXISTS versions(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  dataset_id TEXT, version TEXT, description TEXT, type TEXT, locked INTEGER DEFAULT 0,
  created_at TEXT, UNIQUE(dataset_id, version));
CREATE TABLE IF NOT EXISTS assets(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  version_id TEXT, data_id TEXT, created_at TEXT);
CREATE INDEX IF NOT EXISTS assets_version ON assets(version_id, seq);
CREATE INDEX IF NOT EXISTS assets_data ON assets(data_id);
CREATE TABLE IF NOT EXISTS labels(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  version_id TEXT, name TEXT, group_id TEXT, UNIQUE(version_id, name));
CREATE TABLE IF NOT EXISTS annotations(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  asset_id TEXT, version_id TEXT, duration REAL, status TEXT, created_at TEXT);
CREATE INDEX IF NOT EXISTS annotations_asset ON annotations(asset_id, seq);
CREATE INDEX IF NOT EXISTS annotations_version ON annotations(version_id, seq);
CREATE TABLE IF NOT EXISTS shapes(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  annotation_id TEXT, kind TEXT, label_id TEXT, text TEXT, x INTEGER, y INTEGER, w INTEGER,
  h INTEGER, coords TEXT, ord INTEGER);
CREATE INDEX IF NOT EXISTS shapes_annotation ON shapes(annotation_id, seq);
CREATE INDEX IF NOT EXISTS shapes_label ON shapes(label_id);
CREATE TABLE IF NOT EXISTS campaigns(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  version_id TEXT UNIQUE, org_id TEXT, name TEXT, description TEXT, instructions_text TEXT,
  end_date TEXT, auto_add_new_assets INTEGER, auto_close_on_completion INTEGER,
  is_closed INTEGER, created_at TEXT);
CREATE TABLE IF NOT EXISTS steps(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  campaign_id TEXT, name TEXT, type TEXT, ord INTEGER, description TEXT, sample_rate REAL);
CREATE TABLE IF NOT EXISTS step_assignees(step_id TEXT, user_id TEXT, weight REAL,
  PRIMARY KEY(step_id, user_id));
CREATE TABLE IF NOT EXISTS assignments(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
  asset_id TEXT, step_id TEXT, user_id TEXT, status TEXT, rejected_count INTEGER,
  comment TEXT, is_current INTEGER, created_at TEXT, updated_at TEXT);
CREATE INDEX IF NOT EXISTS assignments_asset ON assignments(asset_id, seq);
CREATE INDEX IF NOT EXISTS assignments_current ON assignments(is_current, step_id, user_id, status);
CREATE TABLE IF NOT EXISTS objects(name TEXT PRIMARY KEY, content_type TEXT, body BLOB);
"""

# Shape kinds: the JSON list key (and route word) for each stored kind.
SHAPE_KINDS = ("rectangle", "polygon", "line", "point", "classification")


def sid(kind, n):
    """A deterministic seed id: a valid UUID (version 4 layout) naming its kind and number."""
    return "%08x-0000-4000-8000-%012x" % (kind, n)


class Store:
    """Owns the database file; hands each thread its own connection."""

    def __init__(self, state_dir):
        os.makedirs(state_dir, exist_ok=True)
        self.path = os.path.join(state_dir, "picsellia.sqlite")
        self.local = threading.local()
        self.write_lock = threading.Lock()
        conn = self.conn()
        conn.executescript(SCHEMA)
        if self.meta("secret") is None:
            with self.write() as c:
                c.execute("INSERT INTO meta VALUES('secret', ?)", (secrets.token_hex(16),))

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                check_same_thread=False)
            c.row_factory = sqlite3.Row
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            c.execute("PRAGMA busy_timeout=30000")
            self.local.conn = c
        return c

    @contextmanager
    def write(self):
        """One serialised write transaction: commits on success, rolls back on an exception."""
        c = self.conn()
        with self.write_lock:
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")

    def meta(self, key):
        row = self.conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def is_empty(self):
        return self.conn().execute("SELECT count(*) FROM orgs").fetchone()[0] == 0


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"))
