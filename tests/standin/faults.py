"""Fault injection for the stand-in (--faults SPEC), reproducible with seed=N.

SPEC is a comma-separated list of name=value:
  latency=200ms    added before every answer (also 0.2s or 200 for milliseconds)
  5xx=RATE         answer 500, 502, 503 or 504 without doing anything
  429=RATE         answer 429 with Retry-After (retry_after=SECONDS, default 1) without doing anything
  drop=RATE        close the connection without an answer, without doing anything
  drop_after_write=RATE
                   for POST/PATCH/PUT/DELETE: do the write, commit it, then close the connection
                   without an answer (a real network can lose an answer after the server acted,
                   so a client must make its writes safe to repeat)
  malformed=RATE   a GET/XGET answer whose JSON body is cut short (a valid HTTP message)
  truncate=RATE    a GET/XGET answer whose connection closes before Content-Length bytes came
  slow=RATE        the body trickled in small pieces (about 2 s in all)
  expire=RATE      presigned URLs handed out already expired
  seed=N           the random seed (default 0)
Rates are probabilities in [0, 1]. Each request draws its faults from a generator seeded with
(seed, request number), so a client that sends the same requests in the same order meets the
same faults. Body faults never hit writes: a write either happens and its answer arrives intact,
or (drop_after_write only) happens and its answer is lost, which the client sees as a network
error.
"""

import random
import threading

RATE_KEYS = ("5xx", "429", "drop", "drop_after_write", "malformed", "truncate", "slow", "expire")
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def _duration(text):
    text = text.strip().lower()
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    if text.endswith("s"):
        return float(text[:-1])
    return float(text) / 1000


class Faults:
    def __init__(self, spec):
        self.rates = {k: 0.0 for k in RATE_KEYS}
        self.latency = 0.0
        self.retry_after = 1
        self.seed = 0
        self.count = 0
        self.lock = threading.Lock()
        for item in filter(None, (spec or "").split(",")):
            if "=" not in item:
                raise ValueError("fault %r: expected name=value" % item)
            key, value = (x.strip() for x in item.split("=", 1))
            if key == "latency":
                self.latency = _duration(value)
            elif key == "seed":
                self.seed = int(value)
            elif key == "retry_after":
                self.retry_after = int(value)
            elif key in self.rates:
                self.rates[key] = float(value)
                if not 0 <= self.rates[key] <= 1:
                    raise ValueError("fault %s: rate %s is not in [0, 1]" % (key, value))
            else:
                raise ValueError("unknown fault %r (known: latency, seed, retry_after, %s)"
                                 % (key, ", ".join(RATE_KEYS)))

    def active(self):
        return self.latency > 0 or any(self.rates.values())

    def draw(self, method):
        """The faults of the next request: a set of names (at most one answer-changing fault
        and, independently, `expire`)."""
        with self.lock:
            self.count += 1
            n = self.count
        rng = random.Random(self.seed * 1000003 + n)
        out = set()
        order = ["drop", "5xx", "429"]
        order += ["drop_after_write"] if method in WRITES else ["malformed", "truncate", "slow"]
        for key in order:
            if rng.random() < self.rates[key]:
                out.add(key)
                break
        if rng.random() < self.rates["expire"]:
            out.add("expire")
        out.add("status:%d" % rng.choice((500, 502, 503, 504)))
        return out
