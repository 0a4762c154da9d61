"""`hadath serve`: the tagger behind HTTP — `POST /predict`, `GET /health`, and a try-it page at `/`.

FastAPI on uvicorn rather than the standard library's `http.server`, which its own documentation calls unfit for
production (no keep-alive tuning, one naive parser, no concurrency control): uvicorn is a maintained HTTP/1.1 server
and FastAPI gives typed routes and JSON errors for free. Inference runs in a worker thread behind a lock, so the
event loop keeps answering `/health` while a batch runs and two requests never fight over the CPU cores.

No request may hold the server for long: bodies are `application/json` (415 otherwise), at most `max_bytes` bytes,
`max_texts` texts and `max_words` words, and — counted as the model will see them, before it runs — at most
`max_characters` normalized characters and `max_pieces` subword pieces (413); read within `read_timeout` seconds
(408); a request that waits more than `queue_timeout` seconds for the model is answered 503 instead of piling up
behind the others. A connection must send each request head within `header_timeout` seconds or it is closed.
"""

from __future__ import annotations

import asyncio
import errno
import json
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from hadath.config import ConfigError
from hadath.data.words import split_words
from hadath.http_deadlines import head_deadline_protocol
from hadath.inference.request_cost import (
    MAX_CHARACTERS,
    MAX_PIECES,
    WorkLimitError,
    piece_counter,
    request_cost,
)
from hadath.inference.tagger import Tagger

PAGE = Path(__file__).parent / "static" / "index.html"


@dataclass(frozen=True)
class Limits:
    """What one request may ask for."""

    max_bytes: int = 1_000_000
    max_texts: int = 256
    batch_size: int = 32
    # Words (as `split_words` counts them, each punctuation mark one) in all texts of one request together.
    max_words: int = 20_000
    # Seconds to receive the whole body, and to wait for the model behind other requests.
    read_timeout: float = 10.0
    queue_timeout: float = 30.0
    # What the model really processes, all texts together: normalization expands some characters (U+FDFA is 18
    # letters) and a tokenizer may cut one long word into hundreds of pieces.
    max_pieces: int = MAX_PIECES
    max_characters: int = MAX_CHARACTERS
    # Seconds a connection may take to send a request head (from opening, or from the previous response).
    header_timeout: float = 10.0


class RequestError(Exception):
    """A client mistake, answered with its HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _read_body(request: Request, limits: Limits) -> bytes:
    """The JSON request body, refused with 415 when it is not JSON, 408 when it takes longer than the read timeout
    to arrive, and 413 as soon as it passes the byte limit (also when no Content-Length is sent)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise RequestError(415, f"Content-Type is {kind or 'missing'!r} — send application/json")
    try:
        return await asyncio.wait_for(_receive(request, limits.max_bytes), timeout=limits.read_timeout)
    except TimeoutError:
        raise RequestError(
            408, f"request body not received within {limits.read_timeout:g} s — send it at once"
        ) from None


async def _receive(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestError(413, f"request body of {declared} bytes is over the {limit}-byte limit — send fewer texts")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise RequestError(413, f"request body is over the {limit}-byte limit — send fewer texts")
    return bytes(body)


def parse_texts(body: bytes, limits: Limits) -> list[str]:
    """`{"texts": [str, ...]}` or `{"text": str}` -> the texts; anything else is a RequestError naming the fix."""
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RequestError(400, f'body is not valid JSON ({error}) — send {{"texts": ["..."]}}') from None
    except RecursionError:
        raise RequestError(400, 'body nests JSON too deeply — send {"texts": ["..."]}') from None
    except ValueError as error:  # an integer past Python's 4300-digit limit
        raise RequestError(400, f"body holds a JSON value out of range ({str(error)[:60]}) — remove it") from None
    if not isinstance(payload, dict) or ("texts" in payload) == ("text" in payload):
        raise RequestError(422, 'expected a JSON object with exactly one of "texts" (list of strings) or "text"')
    if "text" in payload:
        texts = [payload["text"]]
    else:
        texts = payload["texts"]
        if not isinstance(texts, list):
            raise RequestError(422, '"texts" must be a list of strings')
    bad = next((i for i, text in enumerate(texts) if not isinstance(text, str)), None)
    if bad is not None:
        raise RequestError(422, f'"texts"[{bad}] is not a string — every text must be a JSON string')
    if len(texts) > limits.max_texts:
        raise RequestError(413, f"{len(texts)} texts in one request, the limit is {limits.max_texts} — split it")
    for index, text in enumerate(texts):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise RequestError(
                422, f'"texts"[{index}] holds a lone surrogate at character {error.start} — fix it'
            ) from None
    return texts


def check_words(texts: list[str], limit: int) -> None:
    """Refuse (413) a request whose texts hold more than `limit` words together: inference time grows with words."""
    words = 0
    for text in texts:
        words += len(split_words(text))
        if words > limit:
            raise RequestError(413, f"request holds more than {limit} words — split it into smaller requests")


def describe(tagger: Tagger) -> dict[str, Any]:
    """What `/health` says about the loaded model."""
    meta = tagger.metadata
    backend = type(tagger.backend).__name__.removesuffix("Backend").lower()
    return {
        "status": "ok",
        "model": meta.name,
        "backend": backend,
        "layers": list(meta.labels.layers),
        "sentence_labels": meta.labels.sentence_labels,
    }


def create_app(tagger: Tagger, limits: Limits | None = None) -> FastAPI:
    """The FastAPI application around one loaded tagger."""
    limits = limits or Limits()
    app = FastAPI(title="Hadath", docs_url=None, redoc_url=None, openapi_url=None)
    lock = threading.Lock()
    health = describe(tagger)

    encode = piece_counter(tagger.tokenizer)

    def run(texts: list[str]) -> list[dict[str, Any]]:
        check_words(texts, limits.max_words)
        try:  # before the model lock: a refused request costs the others nothing
            request_cost(texts, encode, tagger.metadata.normalizer, limits.max_characters, limits.max_pieces)
        except WorkLimitError as error:
            raise RequestError(413, str(error)) from None
        if not lock.acquire(timeout=limits.queue_timeout):
            raise RequestError(503, f"busy: waited {limits.queue_timeout:g} s for the model — retry later")
        try:
            return tagger.predict(texts, batch_size=limits.batch_size)
        finally:
            lock.release()

    @app.exception_handler(RequestError)
    async def request_error(request: Request, error: RequestError) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=error.status)

    @app.get("/health")
    async def get_health() -> dict[str, Any]:
        return health

    @app.post("/predict")
    async def post_predict(request: Request) -> JSONResponse:
        texts = parse_texts(await _read_body(request, limits), limits)
        records = await run_in_threadpool(run, texts)
        return JSONResponse({"records": records})

    @app.get("/", response_class=HTMLResponse)
    async def get_page() -> HTMLResponse:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    return app


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before the model loads, so a busy or forbidden port fails at once in one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        fixes = {
            errno.EADDRINUSE: "another program is listening there: pick another --port or stop that program",
            errno.EACCES: "ports below 1024 need administrator rights: pick a --port above 1023",
            errno.EADDRNOTAVAIL: "this machine has no such address: use --host 127.0.0.1 or 0.0.0.0",
        }
        fix = fixes.get(error.errno or 0, "pick another --host or --port")
        raise ConfigError(f"{host}:{port}: cannot listen there ({error.strerror}) — {fix}") from None
    return sock


def server_config(tagger: Tagger, limits: Limits, log_level: str = "info") -> Any:
    """uvicorn's settings for the app: idle keep-alive and request-head deadlines, a bounded request head."""
    import uvicorn

    # A connection idle between requests is closed after the read timeout too (uvicorn's default is 5 s).
    keep_alive = max(1, int(limits.read_timeout))
    return uvicorn.Config(
        create_app(tagger, limits),
        log_level=log_level,
        timeout_keep_alive=keep_alive,
        http=head_deadline_protocol(limits.header_timeout),
        h11_max_incomplete_event_size=16 * 1024,  # request line and headers together
    )


def run_server(tagger: Tagger, sock: socket.socket, limits: Limits) -> None:
    """Serve on an already bound socket until interrupted."""
    import uvicorn

    uvicorn.Server(server_config(tagger, limits)).run(sockets=[sock])
