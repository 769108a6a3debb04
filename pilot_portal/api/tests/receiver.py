"""A webhook receiver for the tests: an HTTP server on 127.0.0.1 that records what it gets and answers with the
status codes it is told to (then 200)."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    #: Status codes for the next requests, in order; 200 once they are used.
    answers: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    url: str = ""


def start_receiver(answers=()) -> tuple[Receiver, http.server.ThreadingHTTPServer]:
    state = Receiver(answers=list(answers))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            state.requests.append(Received(headers=dict(self.headers), body=self.rfile.read(length)))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
