"""The platform's query language (`q`), as far as the spec knows it, compiled to SQLite.

Grammar (spec §3.4; the full operator list is [?] in the spec, this is the stand-in's choice):
    expr  := conj ("or" conj)*        conj := atom ("and" atom)*
    atom  := "(" expr ")" | "not" atom | FIELD OP VALUE | FIELD ["not"] "in" "(" VALUE, ... ")"
    OP    := = != < > <= >= like       VALUE := "string" | number | true | false | null
Each caller passes its own FIELDS table: field name -> function(op, values) -> (sql, args).
"""

import re

TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)'
                   r'|(?P<op>!=|<=|>=|=|<|>|\(|\)|,)|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))')
COMPARE = ("=", "!=", "<", ">", "<=", ">=", "like")


class QueryError(ValueError):
    pass


def _tokens(text):
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError("cannot read the query at character %d: %r" % (pos, text[pos:pos + 20]))
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "str":
            value = re.sub(r'\\(.)', r'\1', value[1:-1])
        elif kind == "num":
            value = float(value) if "." in value else int(value)
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, text, fields):
        self.toks = _tokens(text)
        self.i = 0
        self.fields = fields

    def peek(self, kind=None, value=None):
        if self.i >= len(self.toks):
            return False
        k, v = self.toks[self.i]
        if kind and k != kind:
            return False
        if value is not None and (not isinstance(v, str) or v.lower() != value):
            return False
        return True

    def take(self, kind=None, value=None):
        if not self.peek(kind, value):
            got = self.toks[self.i][1] if self.i < len(self.toks) else "the end"
            raise QueryError("expected %s, found %r" % (value or kind, got))
        self.i += 1
        return self.toks[self.i - 1][1]

    def expr(self):
        sql, args = self.conj()
        while self.peek("word", "or"):
            self.take()
            s2, a2 = self.conj()
            sql, args = "(%s OR %s)" % (sql, s2), args + a2
        return sql, args

    def conj(self):
        sql, args = self.atom()
        while self.peek("word", "and"):
            self.take()
            s2, a2 = self.atom()
            sql, args = "(%s AND %s)" % (sql, s2), args + a2
        return sql, args

    def value(self):
        if self.peek("str") or self.peek("num"):
            return self.take()
        word = self.take("word").lower()
        if word in ("true", "false"):
            return 1 if word == "true" else 0
        if word == "null":
            return None
        raise QueryError("expected a value, found %r" % word)

    def atom(self):
        if self.peek("op", "("):
            self.take()
            out = self.expr()
            self.take("op", ")")
            return out
        if self.peek("word", "not"):
            self.take()
            sql, args = self.atom()
            return "(NOT %s)" % sql, args
        field = self.take("word")
        handler = self.fields.get(field)
        if handler is None:
            raise QueryError("unknown field %r (known: %s)" % (field, ", ".join(sorted(self.fields))))
        negate = False
        if self.peek("word", "not"):
            self.take()
            negate = True
            self.take("word", "in")
            op = "in"
        elif self.peek("word", "in"):
            self.take()
            op = "in"
        elif self.peek("word", "like"):
            self.take()
            op = "like"
        else:
            op = self.take("op")
            if op not in COMPARE:
                raise QueryError("unknown operator %r" % op)
        if op == "in":
            self.take("op", "(")
            values = [self.value()]
            while self.peek("op", ","):
                self.take()
                values.append(self.value())
            self.take("op", ")")
        else:
            values = [self.value()]
        sql, args = handler(op, values)
        return ("(NOT %s)" % sql if negate else sql), args


def compile_query(text, fields):
    """Returns (sql, args) for the query TEXT; raises QueryError with a readable reason."""
    p = _Parser(text, fields)
    if not p.toks:
        return "1", []
    out = p.expr()
    if p.i != len(p.toks):
        raise QueryError("unexpected %r after the end of the query" % (p.toks[p.i][1],))
    return out


def _cond(expr, op, values):
    if op == "in":
        return "%s IN (%s)" % (expr, ",".join("?" * len(values))), list(values)
    if values[0] is None and op in ("=", "!="):
        return "%s IS %sNULL" % (expr, "NOT " if op == "!=" else ""), []
    return "%s %s ?" % (expr, op.upper() if op == "like" else op), list(values)


def column(expr):
    """A field that is a plain column expression of the listed row."""
    return lambda op, values: _cond(expr, op, values)


def exists(template, inner):
    """A field on related rows: TEMPLATE is an EXISTS(...) with {cond} on column INNER.
    `!=` means "no related row equals it", as a tag filter reads."""
    def handler(op, values):
        if op == "!=":
            sql, args = _cond(inner, "=", values)
            return "NOT " + template.format(cond=sql), args
        sql, args = _cond(inner, op, values)
        return template.format(cond=sql), args
    return handler
