#!/usr/bin/env python3
"""A stand-in Picsellia server on loopback (Python 3 standard library only), for the tests and
for trying annotty without an account.

    python3 tests/standin/picsellia.py --port PORT --state DIR [--seed small|N]
        [--faults SPEC] [--url-ttl SECONDS] [--reviewers 1|2]

It follows ../../../shared/spec/picsellia-api.md route by route (§11.2 to the letter); the
choices the spec leaves open are marked [?] and the campaign task routes of §12 [A] where they
are made. Three areas, kept apart:
  /api/...        the platform (Authorization: Bearer <token> required)
  /storage/...    image bytes and exports behind signed, expiring presigned URLs (no token)
  /_standin/...   introspection for tests: request log, violations, reset (no token)
"""

import argparse
import gzip
import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import api  # noqa: E402
import pngimage  # noqa: E402
import routes_browse  # noqa: E402,F401  (registers the read routes)
import routes_write  # noqa: E402,F401  (registers the write routes)
import seed  # noqa: E402
import tasks  # noqa: E402,F401  (registers the §12 task routes)
from faults import Faults  # noqa: E402
from store import Store, dumps  # noqa: E402

LOG_CAP = 200000
MAX_BODY = 64 << 20
EXPIRED = "expire"  # the fault that hands out expired URLs


class Dropped(Exception):
    """The connection is to be closed without (the rest of) an answer."""


class App:
    """The server's state shared by every handler thread."""

    def __init__(self, store, faults, url_ttl):
        self.store = store
        self.faults = faults
        self.url_ttl = url_ttl
        self.secret = store.meta("secret").encode()
        self.log = deque(maxlen=LOG_CAP)
        self.log_seq = 0
        self.violations = []
        self.lock = threading.Lock()
        self.local = threading.local()
        self.tokens = {}
        self.base_url = ""
        self.images = {}

    # ---- presigned URLs -----------------------------------------------------------------------
    def sign(self, name, expires):
        msg = ("%s\n%d" % (name, expires)).encode()
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()[:40]

    def presign(self, object_name):
        """A storage URL for OBJECT_NAME, valid --url-ttl seconds (already expired when the
        request drew the `expire` fault)."""
        now = int(time.time())
        expires = now - 1 if EXPIRED in getattr(self.local, "faults", ()) else now + self.url_ttl
        base = getattr(self.local, "base", None) or self.base_url
        return "%s/storage/%s?X-Expires=%d&X-Signature=%s" % (
            base, urllib.parse.quote(object_name), expires, self.sign(object_name, expires))

    # ---- records for tests --------------------------------------------------------------------
    def violation(self, kind, method, path, detail):
        with self.lock:
            self.violations.append({"kind": kind, "method": method, "path": path,
                                    "detail": detail, "time": time.time()})

    def record(self, entry):
        with self.lock:
            self.log_seq += 1
            entry["seq"] = self.log_seq  # keeps growing across resets, so ?since= stays valid
            self.log.append(entry)

    def user_for(self, token):
        if token not in self.tokens:
            row = self.store.conn().execute("SELECT * FROM users WHERE token=?",
                                            (token,)).fetchone()
            if row is None:
                return None
            self.tokens[token] = dict(row)
        return self.tokens[token]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "picsellia-standin/1"
    app: App = None

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK would add 40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # the request log is kept in memory, not printed
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except Dropped:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        except (ConnectionError, socket.timeout):
            self.close_connection = True

    def do_GET(self):
        serve(self.app, self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_XGET = do_HEAD = do_GET


def read_body(h):
    """The request body (Content-Length or chunked); b"" when there is none."""
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        parts, total = [], 0
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise api.ApiError(413, "too much data in your request")
            parts.append(h.rfile.read(size))
            h.rfile.readline()
    length = int(h.headers.get("Content-Length") or 0)
    if length > MAX_BODY:
        raise api.ApiError(413, "too much data in your request")
    return h.rfile.read(length) if length else b""


def send(h, status, body, ctype="application/json", headers=None, fault=()):
    """Writes one answer, gzip-compressed when the client asked for it, with the body faults
    of FAULT applied."""
    headers = dict(headers or {})
    if "malformed" in fault and body:
        body = body[:max(len(body) // 2, 1)]  # still a whole HTTP message, no longer JSON
    if (ctype.startswith("application/json") and body and
            "gzip" in h.headers.get("Accept-Encoding", "")):
        body = gzip.compress(body, 5)
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in headers.items():
        h.send_header(k, v)
    h.end_headers()
    if h.command == "HEAD":
        return
    if "truncate" in fault and len(body) > 1:
        h.wfile.write(body[:len(body) // 2])
        h.wfile.flush()
        raise Dropped()
    if "slow" in fault:
        step = max(len(body) // 40, 64)
        for i in range(0, len(body), step):
            h.wfile.write(body[i:i + step])
            h.wfile.flush()
            time.sleep(0.05)
        return
    h.wfile.write(body)


def send_json(h, status, obj, headers=None, fault=()):
    body = b"" if status == 204 else dumps(obj).encode()
    send(h, status, body, "application/json", headers, fault)


def error_body(status, message, detail=None):
    return {"message": message, "detail": detail}


def record_once(app, entry):
    """Puts a request in the log, once."""
    if not entry.get("_recorded"):
        entry["_recorded"] = True
        app.record({k: v for k, v in entry.items() if k != "_recorded"})


def serve(app, h):
    """One request: introspection, storage or the API, with the drawn faults."""
    url = urllib.parse.urlsplit(h.path)
    path = urllib.parse.unquote(url.path)
    query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    entry = {"method": h.command, "path": path, "query": url.query, "time": time.time(),
             "token": h.headers.get("Authorization") is not None,
             "organization": h.headers.get("X-Picsellia-Organization"), "status": None,
             "fault": None}
    app.local.base = "http://" + (h.headers.get("Host") or app.base_url[7:])
    app.local.faults = ()
    try:
        raw = read_body(h)
        if path.startswith("/_standin/"):
            return introspect(app, h, path, query, raw)
        fault = app.faults.draw(h.command) if app.faults.active() else set()
        app.local.faults = fault
        if app.faults.latency:
            time.sleep(app.faults.latency)
        if pre_fault(app, h, fault, entry):
            return
        if path.startswith("/storage/"):
            entry["status"] = storage(app, h, path, query, fault)
            return
        status, obj, headers = api_call(app, h, path, query, raw)
        entry["status"] = status
        if "drop_after_write" in fault and status < 300:
            entry["fault"] = "drop_after_write"
            raise Dropped()
        for f in ("malformed", "truncate", "slow"):
            if f in fault:
                entry["fault"] = f
        # recorded before the answer goes out: a client that reads the log after its answer
        # finds its request there
        record_once(app, entry)
        send_json(h, status, obj, headers, fault & {"malformed", "truncate", "slow"})
    except api.ApiError as exc:
        entry["status"] = exc.status
        record_once(app, entry)
        send_json(h, exc.status, error_body(exc.status, exc.message, exc.detail), exc.headers)
    except (Dropped, ConnectionError, socket.timeout):
        raise
    except Exception as exc:  # a bug in a route: a 500 the client can read, the trace on stderr
        traceback.print_exc()
        entry["status"] = 500
        send_json(h, 500, error_body(500, "Internal server error", repr(exc)))
    finally:
        if not path.startswith("/_standin/"):
            record_once(app, entry)


def pre_fault(app, h, fault, entry):
    """Faults that answer instead of the server: drop, 5xx, 429. True when one did."""
    if "drop" in fault:
        entry["fault"] = "drop"
        raise Dropped()
    if "5xx" in fault:
        status = next(int(f[7:]) for f in fault if f.startswith("status:"))
        entry["fault"], entry["status"] = "5xx", status
        send_json(h, status, error_body(status, "Picsellia is unavailable at the moment",
                                        "injected fault"))
        return True
    if "429" in fault:
        entry["fault"], entry["status"] = "429", 429
        send_json(h, 429, error_body(429, "Too many requests", "injected fault"),
                  {"Retry-After": str(app.faults.retry_after)})
        return True
    return False


def api_call(app, h, path, query, raw):
    """Authenticates, parses the JSON body and runs the route: (status, obj, headers)."""
    if not path.startswith("/api/"):
        raise api.ApiError(404, "Not found", "no route for %s %s" % (h.command, path))
    auth = h.headers.get("Authorization", "")
    user = app.user_for(auth[7:]) if auth.startswith("Bearer ") else None
    if user is None:
        raise api.ApiError(401, "Unauthorized", "a valid 'Authorization: Bearer <token>' "
                           "header is required")
    org = h.headers.get("X-Picsellia-Organization")
    if org is not None:
        # [?] spec §2.2: a header naming an organization the user is not in is refused.
        row = app.store.conn().execute("SELECT 1 FROM members WHERE org_id=? AND user_id=?",
                                       (org, user["id"])).fetchone()
        if row is None:
            raise api.ApiError(403, "Forbidden", "not a member of organization %s" % org)
    body = None
    if raw.strip():
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise api.ApiError(400, "Invalid JSON body", str(exc))
    fn, params = api.find_route("GET" if h.command == "HEAD" else h.command, path)
    req = api.Req(app, h.command, path, params, query, body, user)
    out = fn(req)
    status, obj = out[0], out[1]
    return status, obj, (out[2] if len(out) > 2 else None)


# ---- storage ------------------------------------------------------------------------------

def storage(app, h, path, query, fault):
    """Serves a presigned object: a generated image for data, or a stored export."""
    name = path[len("/storage/"):]
    if h.headers.get("Authorization") is not None:
        # The API token must never reach the storage: refused as a real object store would.
        app.violation("token sent to storage", h.command, path, "Authorization header present")
        return storage_error(h, 400, "InvalidArgument",
                             "Only one auth mechanism allowed; the URL is already signed")
    try:
        expires = int(query.get("X-Expires", [""])[0])
    except ValueError:
        return storage_error(h, 403, "AccessDenied", "The URL is not signed")
    sig = query.get("X-Signature", [""])[0]
    if not hmac.compare_digest(sig, app.sign(name, expires)):
        return storage_error(h, 403, "SignatureDoesNotMatch", "The signature does not match")
    if expires < time.time():
        return storage_error(h, 403, "AccessDenied", "Request has expired")
    found = storage_object(app, name)
    if found is None:
        return storage_error(h, 404, "NoSuchKey", "The specified key does not exist")
    body, ctype = found
    send(h, 200, body, ctype, {"Cache-Control": "private, max-age=3600"},
         fault & {"truncate", "slow"})
    return 200


def storage_object(app, name):
    db = app.store.conn()
    row = db.execute("SELECT seq, width, height, content_type, upload_status FROM datas "
                     "WHERE object_name=? LIMIT 1", (name,)).fetchone()
    if row is not None:
        if row["upload_status"] != "DONE":
            return None
        key = (row["seq"], row["width"], row["height"])
        body = app.images.get(key)
        if body is None:
            body = pngimage.png_bytes(row["seq"], row["width"], row["height"])
            with app.lock:
                if len(app.images) > 256:
                    app.images.clear()
                app.images[key] = body
        return body, "image/png"
    row = db.execute("SELECT body, content_type FROM objects WHERE name=?", (name,)).fetchone()
    return (bytes(row["body"]), row["content_type"]) if row else None


def storage_error(h, status, code, message):
    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
            "<Message>%s</Message></Error>" % (code, message)).encode()
    send(h, status, body, "application/xml")
    return status


# ---- introspection --------------------------------------------------------------------------

def introspect(app, h, path, query, raw):
    """GET /_standin/log[?since=SEQ], GET /_standin/violations, POST /_standin/reset,
    GET /_standin/health. Never logged, never faulted."""
    if path == "/_standin/log" and h.command == "GET":
        since = int(query.get("since", ["0"])[0] or 0)
        with app.lock:
            items = [e for e in app.log if e["seq"] > since]
        return send_json(h, 200, {"items": items, "count": len(items)})
    if path == "/_standin/violations" and h.command == "GET":
        with app.lock:
            items = list(app.violations)
        return send_json(h, 200, {"items": items, "count": len(items)})
    if path == "/_standin/reset" and h.command == "POST":
        with app.lock:
            app.log.clear()
            app.violations.clear()
        return send_json(h, 200, {"reset": True})
    if path == "/_standin/health" and h.command == "GET":
        return send_json(h, 200, {"ok": True, "faults": app.faults.rates,
                                  "requests_drawn": app.faults.count})
    send_json(h, 404, error_body(404, "Not found", "no introspection route %s" % path))


# ---- main -----------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description="A stand-in Picsellia server on loopback.")
    p.add_argument("--port", type=int, required=True, help="port to listen on (0: any free one)")
    p.add_argument("--state", required=True, help="directory of the server's SQLite state")
    p.add_argument("--seed", help="seed an empty state: 'small' or a number of bench assets")
    p.add_argument("--faults", default="", help="fault injection, see faults.py")
    p.add_argument("--url-ttl", type=int, default=3600, help="presigned URL lifetime (s)")
    p.add_argument("--reviewers", type=int, choices=(1, 2), default=1,
                   help="reviewers on the seeded REVIEW step (2 adds carol)")
    args = p.parse_args(argv)
    if args.seed is not None and args.seed != "small" and not args.seed.isdigit():
        p.error("--seed takes 'small' or a number of assets")
    return args


def seed_state(store, args):
    if args.seed is None or not store.is_empty():
        return
    with store.write() as c:
        if args.seed == "small":
            seed.seed_small(c, args.reviewers)
        else:
            seed.seed_bench(c, int(args.seed))


def main(argv):
    args = parse_args(argv)
    try:
        faults = Faults(args.faults)
    except ValueError as exc:
        print("picsellia.py: --faults: %s" % exc, file=sys.stderr)
        return 2
    store = Store(args.state)
    seed_state(store, args)
    app = App(store, faults, args.url_ttl)
    Handler.app = app
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    app.base_url = "http://127.0.0.1:%d" % port

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("listening on %s" % app.base_url, flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
