"""A small local HTTP server that the real cloud SDKs talk to in tests.

Each cloud fake (Gemini, Text-to-Speech, Stability, YouTube) subclasses
``FakeServer`` and overrides ``handle``. The server records every request
for assertions and can be told to misbehave: a test appends ``Failure``
objects to ``failures`` and each request consumes the next one, in order,
before the normal handler runs.

    with FakeThing() as fake:
        fake.failures.append(Failure(status=429, body={"error": {...}}))
        client = make_client(base_url=fake.url)
        ...
        assert fake.requests[0].method == "POST"

Headers are recorded with lower-case names. ``Request.path`` is the raw
path with its query string; ``handle`` gets the path and query apart.
"""

from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, Self
from urllib.parse import parse_qsl, urlsplit

Body = bytes | str | dict[str, Any] | list[Any]
POLL_SECONDS = 0.02


class Request(NamedTuple):
    """One request as the server received it."""

    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class Response:
    """What a handler answers. A dict or list body is sent as JSON."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = b""


@dataclass(frozen=True)
class Failure:
    """One injected misbehaviour, used up by the next request.

    - ``delay``: wait this many seconds first (longer than the client's
      timeout makes it time out); with no ``status`` the normal handler
      answers afterwards.
    - ``status`` (with ``body`` and ``headers``): answer this instead of the
      handler.
    - ``raw``: write these bytes to the socket as they are and close the
      connection (``b""`` drops it without a word).
    """

    status: int | None = None
    body: Body = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None


class FakeServer:
    """A threaded HTTP server on 127.0.0.1, on a free port, for one test."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[Request] = []
        self.failures: list[Failure] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._scheme = "http"
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(
                self._httpd.socket, server_side=True
            )
            self._scheme = "https"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            # stop() waits up to one poll for the loop to notice.
            kwargs={"poll_interval": POLL_SECONDS},
            name=f"{type(self).__name__}-server",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def stop(self) -> None:
        """Stop serving; requests still sleeping in a delay end at once."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        """Answer one request; subclasses override this."""
        return Response(404, body={"error": {"code": 404, "message": "Not found"}})

    # The request thread calls these two.

    def _record(self, request: Request) -> Failure | None:
        with self._lock:
            self.requests.append(request)
            return self.failures.pop(0) if self.failures else None

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive the way the SDKs expect; every answer
    # therefore carries a Content-Length.
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the test output stays quiet; ``requests`` has the record

    def _serve(self) -> None:
        fake: FakeServer = self.server.fake  # type: ignore[attr-defined]
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, self.path, headers, self._read_body())
        failure = fake._record(request)
        try:
            self._answer(fake, request, failure)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            # The client gave up (usually its timeout); nobody is listening.
            self.close_connection = True

    def _answer(
        self, fake: FakeServer, request: Request, failure: Failure | None
    ) -> None:
        if failure is not None and failure.delay:
            fake._sleep(failure.delay)
        if failure is not None and failure.raw is not None:
            self.wfile.write(failure.raw)
            self.wfile.flush()
            self.close_connection = True
            return
        if failure is not None and failure.status is not None:
            response = Response(failure.status, failure.headers, failure.body)
        else:
            response = self._call_handler(fake, request)
        self._send(response)

    def _call_handler(self, fake: FakeServer, request: Request) -> Response:
        parts = urlsplit(request.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        try:
            return fake.handle(
                request.method, parts.path, query, request.headers, request.body
            )
        except Exception as error:  # a bug in a fake must show in the test
            message = f"The fake failed: {type(error).__name__}: {error}"
            return Response(599, body={"error": {"code": 599, "message": message}})

    def _send(self, response: Response) -> None:
        body, content_type = _encode(response.body)
        self.send_response(response.status)
        names = {name.lower() for name in response.headers}
        if "content-type" not in names and content_type:
            self.send_header("Content-Type", content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                self.rfile.readline()  # the blank line after the last chunk
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()


def _encode(body: Body) -> tuple[bytes, str | None]:
    """The bytes to send and the content type they imply."""
    if isinstance(body, dict | list):
        return json.dumps(body).encode(), "application/json; charset=UTF-8"
    if isinstance(body, str):
        return body.encode(), "text/plain; charset=UTF-8"
    return body, None
