"""The audit's table: one column per database, then the status codes per role, then every finding with its URL
and role. Returns the exit status: 1 when anything was found."""

from __future__ import annotations


def _get(result: dict, *keys, default="—"):
    value = result
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return default
        value = value[key]
    return value


def _count(result, section, key):
    value = _get(result, section, key)
    return len(value) if isinstance(value, list) else value


def _redis(result, mode, check):
    figures = _get(result, "redis", mode, check)
    if not isinstance(figures, dict):
        return "—"
    return f"{figures['evaluated after limit']} of {figures['tried']} (limit {figures['limit']}), 5xx {figures['5xx']}"


def _latency(result, mode):
    latency = _get(result, "redis", mode, "max latency s (one at a time)")
    return f"{latency} / {_get(result, 'redis', mode, 'page answers')}"


ROWS = [
    ("access", "URL patterns", lambda r: _get(r, "access", "patterns")),
    ("", "requests (GET+POST, 9 roles x own/other units)", lambda r: _get(r, "access", "tried")),
    ("", "5xx", lambda r: _count(r, "access", "errors")),
    ("", "leaks (other unit's marker in a 200)", lambda r: _count(r, "access", "leaks")),
    ("", "writes to records outside the role's units", lambda r: _count(r, "access", "writes")),
    ("", "status codes", lambda r: " ".join(f"{k}:{v}" for k, v in _get(r, "access", "statuses", default={}).items())),
    ("fuzz", "requests", lambda r: _get(r, "fuzz", "tried")),
    ("", "hostile values (table + generated)", lambda r: _get(r, "fuzz", "values")),
    (
        "",
        "pages reached / forms driven (sum over roles)",
        lambda r: f"{_get(r, 'fuzz', 'pages')} / {_get(r, 'fuzz', 'forms')}",
    ),
    ("", "5xx", lambda r: _get(r, "fuzz", "error_count")),
    (
        "uploads",
        "upload fields / hostile files",
        lambda r: f"{_count(r, 'uploads', 'fields')} / {_get(r, 'uploads', 'files')}",
    ),
    ("", "requests", lambda r: _get(r, "uploads", "tried")),
    ("", "accepted bad files", lambda r: _count(r, "uploads", "accepted_bad")),
    ("", "5xx", lambda r: _count(r, "uploads", "errors")),
    (
        "",
        "accepted/tried by kind",
        lambda r: " ".join(f"{k}:{a}/{t}" for k, (t, a) in _get(r, "uploads", "by_kind", default={}).items()),
    ),
    ("", "zip bombs stored unopened (fields that only store)", lambda r: _count(r, "uploads", "stored_bombs")),
    ("", "good files refused (field not tested)", lambda r: _count(r, "uploads", "controls_refused")),
    ("", "slowest upload (s)", lambda r: _get(r, "uploads", "slowest", default=["—"])[0]),
    ("races", "rounds", lambda r: _get(r, "races", "rounds")),
    ("", "wrong outcomes", lambda r: _count(r, "races", "wrong")),
    ("", "lost updates (checklist evidence)", lambda r: _get(r, "races", "lost_updates")),
    ("", "events out of order", lambda r: _count(r, "races", "out_of_order")),
    ("redis", "closed: evaluated after limit, per address", lambda r: _redis(r, "closed", "per address")),
    ("", "closed: per code", lambda r: _redis(r, "closed", "per code")),
    ("", "closed: at once (threads)", lambda r: _redis(r, "closed", "at once")),
    (
        "",
        "closed: max latency s / page answers",
        lambda r: _latency(r, "closed"),
    ),
    ("", "hung: evaluated after limit, per address", lambda r: _redis(r, "hung", "per address")),
    ("", "hung: per code", lambda r: _redis(r, "hung", "per code")),
    ("", "hung: at once (threads)", lambda r: _redis(r, "hung", "at once")),
    (
        "",
        "hung: max latency s / page answers",
        lambda r: _latency(r, "hung"),
    ),
    ("time", "seconds: setup, then each section", lambda r: " ".join(f"{k}:{v}" for k, v in r["seconds"].items())),
]
FINDINGS = [
    ("access", "errors", "5xx"),
    ("access", "leaks", "leak"),
    ("access", "writes", "write outside scope"),
    ("fuzz", "errors", "5xx"),
    ("uploads", "errors", "5xx"),
    ("uploads", "accepted_bad", "accepted bad file"),
    ("uploads", "controls_refused", "good file refused"),
    ("races", "wrong", "wrong outcome"),
    ("races", "out_of_order", "events out of order"),
]


def print_report(command: str, results: list[dict]) -> int:
    names = [r["database"] for r in results]
    width = max(len(label) for _s, label, _f in ROWS) + 2
    print(f"\n$ {command}\n")
    cells = [(section, label, [str(figure(r)) for r in results]) for section, label, figure in ROWS]
    column = max(len(value) for _s, _l, values in cells for value in values) + 2
    print(f"{'':8} {'':{width}}" + "".join(f"{n:<{column}}" for n in names))
    for section, label, values in cells:
        print(f"{section:8} {label:{width}}" + "".join(f"{value:<{column}}" for value in values))
    for result in results:
        per_role = _get(result, "access", "per_role", default={})
        if per_role:
            print(f"\naccess status codes per role ({result['database']}):")
            for role, codes in per_role.items():
                print(f"  {role:24} " + " ".join(f"{k}:{v}" for k, v in codes.items()))
    found = 0
    print("\nFindings:")
    for result in results:
        for section, key, label in FINDINGS:
            for line in _get(result, section, key, default=[]):
                found += 1
                print(f"  [{result['database']}] {section} {label}: {line}")
        redis = _get(result, "redis", default={})
        for mode, figures in redis.items() if isinstance(redis, dict) else ():
            for check in ("per address", "per code", "at once"):
                after = _get(figures, check, "evaluated after limit", default=0)
                if after or _get(figures, check, "5xx", default=0):
                    found += 1
                    print(f"  [{result['database']}] redis {mode} {check}: {figures[check]}")
            if figures.get("page answers") is False:
                found += 1
                print(f"  [{result['database']}] redis {mode}: the lookup page did not answer")
    if not found:
        print("  none")
    return 1 if found else 0
