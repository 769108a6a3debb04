"""Uploads: about 120 hostile files into every upload field of the portal, as the unit's official.

The upload forms are found by reading every page of the own unit (every URL pattern, filled in) and keeping the
forms with a file input. A file is *accepted* when a new file appears under ``PRIVATE_FILES_ROOT``. Kinds:
``bad`` (wrong or missing signature, empty, executable, script, a type not accepted, over the size limit) must be
refused everywhere; ``name`` (a good file under a hostile name) may be accepted if the name stored is safe (no
path, no control character, at most 255 bytes, inside the private root); ``polyglot`` (a real signature followed
by HTML, a script or an archive) may be accepted where its leading type is (files are sent back as attachments,
``nosniff``); ``bomb`` (an archive that expands to 50 MB or more) must be refused by a field that opens the file
(the backlog import) and is counted, not failed, where the file is only stored; ``nested`` (an archive inside
an .xlsx: no field opens it) is counted the same way; ``control`` (a good file) must be
accepted, or the field was not really tested.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

from bench._audit_access import fill, patterns

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _xlsx_backlog() -> bytes:
    from service_center.backlog_import import template_xlsx

    return template_xlsx()


def hostile_files(quick: bool) -> list[tuple[str, str, bytes]]:
    """(kind, name, content) of every hostile file, and the good files of each type last."""
    bad_contents = {
        "empty": b"",
        "exe": b"MZ\x90\x00\x03" + b"\x00" * 64,
        "elf": b"\x7fELF\x02\x01\x01" + b"\x00" * 64,
        "html": b"<html><script>alert(document.cookie)</script></html>",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "php": b"<?php system($_GET['c']); ?>",
        "shell": b"#!/bin/sh\nrm -rf /\n",
        "random": os.urandom(256),
        "truncated": b"%PD",
        "nul": b"\x00" * 64,
    }
    files = []
    for ext in ("pdf", "docx", "xlsx", "png", "jpg", "csv"):
        for label, content in bad_contents.items():
            files.append(("bad", f"{label}.{ext}", content))
    files += [("bad", "png-as.pdf", PNG), ("bad", "pdf-as.png", PDF), ("bad", "jpg-as.docx", JPG)]
    for name in (
        "virus.exe",
        "page.html",
        "image.svg",
        "shell.php",
        "run.sh",
        "run.bat",
        "script.js",
        "noext",
        ".pdf",
        "x.pdf.exe",
        "x.exe\x00.pdf",
        "x.PDF.EXE",
        "lib.dll",
        "macro.docm",
    ):
        files.append(("bad", name, b"MZ\x90\x00" + b"\x00" * 60))
    files.append(("bad", "too-large.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)))
    for name in (
        "x" * 300 + ".pdf",
        "y" * 1000 + ".pdf",
        "a\x00b.pdf",
        "\x00.pdf",
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.pdf",
        "/abs/path.pdf",
        "x\u202egpj.pdf",
        "CON.pdf",
        "Tờ trình số 1.pdf",
        "a\nb\r.pdf",
        "<script>alert(1)</script>.pdf",
        "x." + "p" * 200,
        "   .pdf",
        "ｆｕｌｌ.pdf",
        "\u200b\u200b.pdf",
        "%00.pdf",
        "$(reboot).pdf",
    ):
        files.append(("name", name, PDF))
    files += [
        ("polyglot", "pdf-html.pdf", PDF + b"<html><script>alert(1)</script></html>"),
        ("polyglot", "pdf-zip.pdf", PDF + _zip({"evil.html": b"<script>alert(1)</script>"})),
        ("polyglot", "png-html.png", PNG + b"<script>alert(1)</script>"),
        ("polyglot", "jpg-php.jpg", JPG + b"<?php system($_GET['c']); ?>"),
        ("polyglot", "zip-html.docx", _zip({"index.html": b"<script>alert(1)</script>"})),
        ("polyglot", "gifar.jpg", JPG + _zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n"})),
        ("polyglot", "csv-formula.csv", b'So ho so cu\n=cmd|" /C calc"!A0\n'),
    ]
    big = 10 if quick else 50  # MB once expanded
    sheet = (
        b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + b"A" * (big << 20)
        + b"</t></is></c></row></sheetData></worksheet>"
    )
    shared = b"<sst><si><t>" + b"A" * (big << 20) + b"</t></si></sst>"
    template = zipfile.ZipFile(io.BytesIO(_xlsx_backlog()))
    entries = {n: template.read(n) for n in template.namelist()}
    files += [
        ("bomb", "zeros.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (big << 20)})),
        ("bomb", "sheet.xlsx", _zip({**entries, "xl/worksheets/sheet1.xml": sheet})),
        ("bomb", "shared.xlsx", _zip({**entries, "xl/sharedStrings.xml": shared})),
        (
            "nested",
            "nested.xlsx",
            _zip({**entries, "inner.zip": _zip({f"{i}.bin": b"\x00" * (big << 17) for i in range(8)})}),
        ),
    ]
    if quick:
        files = files[::4]
    from service_center.backlog_import import template_csv

    files += [
        ("control", "control.pdf", PDF),
        ("control", "control.docx", _docx()),
        ("control", "control.xlsx", _xlsx_backlog()),
        ("control", "control.csv", template_csv()),
    ]
    return files


def _stored(root) -> set[str]:
    found = set()
    for folder, _dirs, names in os.walk(root):
        found.update(os.path.join(folder, name) for name in names)
    return found


def _safe(root, path: str) -> bool:
    name = os.path.basename(path)
    return (
        os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)
        and len(name.encode()) <= 255
        and all(ch.isprintable() for ch in name)
    )


def _file_forms(client, path: str):
    """(target, {field: value as the page fills it in}, [file fields]) of each form of ``path`` with a file input."""
    from pilot_portal.core.tests.test_hostile_requests import _Options, _Page

    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode(errors="replace")
    page, options = _Page(), _Options()
    page.feed(html)
    options.feed(html)
    for _method, action, fields in page.forms:
        files = [f for f, (kind, *_rest) in fields.items() if kind == "file"]
        if not files:
            continue
        valid = {}
        for field, (kind, default, *_rest) in fields.items():
            if kind == "select":
                valid[field] = options.first.get(field, "")
            elif kind in ("text", "textarea") and not (default or "").strip():
                valid[field] = "Nội dung kiểm thử"  # a required text left empty would hide the file's fate
            elif default is not None and kind != "file":
                valid[field] = default
        yield action.split("?")[0] or path, valid, files


def upload_forms(world, client) -> list[tuple[str, str, str]]:
    """(page, form target, file field) of every upload field the official of the own unit reaches."""
    found, seen = [], set()
    paths = {fill(world, route, name, "AA", None) for route, name in patterns() if not route.startswith("api")}
    # The minutes are uploaded when closing a session in progress (the published one's close page refuses).
    paths.discard(f"/sessions/{world.objects['AA']['session']}/close/")
    paths.add(f"/sessions/{world.objects['AA']['running']}/close/")
    for path in sorted(paths):
        for target, _valid, files in _file_forms(client, path):
            for field in files:
                if (target, field) not in seen:
                    seen.add((target, field))
                    found.append((path, target, field))
    return found


def _valid(client, page: str, target: str, field: str) -> dict:
    """The form's values as the page fills them in now (a checklist item's version moves with every save)."""
    for form_target, valid, files in _file_forms(client, page):
        if form_target == target and field in files:
            return valid
    return {}


def run(world, *, quick: bool = False, private_root, **_options) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from sessions.models import Session

    def reset():  # the fuzzing before may have closed or cancelled them: documents change until the session closes
        Session.objects.filter(pk=world.objects["AA"]["session"]).update(status=Session.Status.PUBLISHED)
        Session.objects.filter(pk=world.objects["AA"]["running"]).update(status=Session.Status.IN_PROGRESS)

    reset()
    client = Client(raise_request_exception=False)
    client.force_login(world.users["unit official"])
    files = hostile_files(quick)
    forms = upload_forms(world, client)
    tried, errors, accepted_bad, stored_bombs, controls_refused, slowest = 0, [], [], [], [], (0.0, "")
    kinds = {}
    for page, target, field in forms:
        for kind, name, content in files:
            valid = _valid(client, page, target, field)
            before = _stored(private_root)
            upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
            started = time.monotonic()
            response = client.post(target, {**valid, field: upload})
            elapsed = time.monotonic() - started
            slowest = max(slowest, (elapsed, f"{target} {field} {name[:40]!r}"))
            reset()
            tried += 1
            new = _stored(private_root) - before
            kinds.setdefault(kind, [0, 0])[0] += 1
            kinds[kind][1] += bool(new)
            where = f"POST {target} {field}={name[:60]!r}"
            if response.status_code >= 500:
                errors.append(f"{where} [unit official]: {response.status_code}")
            elif (kind == "bad" and new) or (kind == "name" and any(not _safe(private_root, p) for p in new)):
                accepted_bad.append(f"{where} [unit official]: stored {sorted(os.path.basename(p)[:60] for p in new)}")
            elif kind == "nested" and new:
                stored_bombs.append(where)
            elif kind == "bomb" and new:
                (accepted_bad if "backlog" in target else stored_bombs).append(where)
            elif kind == "control" and not new and name.rsplit(".")[-1] in _accepted(target):
                controls_refused.append(f"{where}: {response.status_code} {_message(response)}")
    return {
        "fields": [f"{target} {field}" for _page, target, field in forms],
        "files": len(files),
        "tried": tried,
        "by_kind": kinds,
        "errors": errors,
        "accepted_bad": accepted_bad,
        "stored_bombs": stored_bombs,
        "controls_refused": controls_refused,
        "slowest": [round(slowest[0], 2), slowest[1]],
    }


def _accepted(target: str) -> tuple[str, ...]:
    return ("xlsx", "csv") if "backlog" in target else ("pdf", "docx")


def _message(response) -> str:
    import re

    text = response.content.decode(errors="replace")
    found = re.findall(r'role="alert">(.*?)<|invalid-feedback[^>]*>\s*(?:<p[^>]*>)?\s*<strong>(.*?)<', text, re.S)
    return " ".join(" ".join(part.split()) for pair in found for part in pair if part.strip())[:200]
