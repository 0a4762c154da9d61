"""`hadath serve` over a real socket on 127.0.0.1, and its page in headless Chromium (skipped without it)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
TEXT = "شنت طائرات التحالف غارات على مواقع داعش في كركوك"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tagger(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A tiny trained model whose entity head is pushed towards B-LOC, so every word is a visible LOC span."""
    import torch

    from hadath.inference.tagger import Tagger

    output = tmp_path_factory.mktemp("run")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=4", "--set", "training.logging_steps=4",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    loaded = Tagger.load(output / "model", device="cpu")
    tags = loaded.metadata.labels.layers["entities"]
    with torch.no_grad():
        loaded.model.head("entities").bias[tags.index("B-LOC")] += 50.0
    return loaded


@pytest.fixture(scope="module")
def server(tagger) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    from hadath.serve import Limits

    yield from _serve(tagger, Limits(max_bytes=4096, max_texts=3, batch_size=8, max_words=200, read_timeout=1.0))


def _serve(tagger, limits) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    import uvicorn

    from hadath.serve import server_config

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    instance = uvicorn.Server(server_config(tagger, limits, log_level="warning"))  # what `hadath serve` runs
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


def request(address: tuple[str, int], method: str, path: str, body: bytes | None = None) -> tuple[int, dict | str]:
    connection = http.client.HTTPConnection(*address, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read().decode("utf-8")
    connection.close()
    kind = response.getheader("content-type", "")
    return response.status, json.loads(data) if kind.startswith("application/json") else data


def test_health_names_the_model(server: tuple[str, int]) -> None:
    status, body = request(server, "GET", "/health")
    assert status == 200
    assert isinstance(body, dict)
    assert body["status"] == "ok" and body["backend"] == "torch"
    assert body["layers"] == ["entities", "events"]


def test_predict_returns_the_tagger_records(server: tuple[str, int], tagger) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT, "قال الكاظمي في بغداد"]
    status, body = request(server, "POST", "/predict", json.dumps({"texts": texts}).encode())
    assert status == 200 and isinstance(body, dict)
    assert body["records"] == tagger.predict(texts)
    first = body["records"][0]
    assert [span["text"] for span in first["entities"]] == TEXT.split()  # every word a LOC span (biased head)
    assert {span["label"] for span in first["entities"]} == {"LOC"}
    status, single = request(server, "POST", "/predict", json.dumps({"text": TEXT}).encode())
    assert status == 200 and isinstance(single, dict) and single["records"] == body["records"][:1]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b'["a"]', 422, "exactly one of"),
        (b'{"text": "a", "texts": ["b"]}', 422, "exactly one of"),
        (b'{"texts": "a"}', 422, "must be a list"),
        (b'{"texts": ["a", 3]}', 422, '"texts"[1]'),
        (b'{"texts": ["a", "b", "c", "d"]}', 413, "limit is 3"),
        (json.dumps({"text": "ك" * 5000}).encode(), 413, "4096-byte limit"),
        # Under the byte limit, but one word per character: 2,000 words of work.
        (json.dumps({"text": "." * 2000}).encode(), 413, "more than 200 words"),
        (b'{"text": "\\ud800"}', 422, "lone surrogate"),
        (b'{"texts": [' + b"[" * 2000 + b"]" * 2000 + b"]}", 400, "too deeply"),
    ],
)
def test_bad_requests_get_clear_4xx(server: tuple[str, int], body: bytes, status: int, message: str) -> None:
    got, answer = request(server, "POST", "/predict", body)
    assert got == status
    assert isinstance(answer, dict) and message in answer["error"]


def test_a_huge_integer_is_a_client_error() -> None:
    from hadath.serve import Limits, RequestError, parse_texts

    with pytest.raises(RequestError, match="out of range") as error:
        parse_texts(b'{"texts": [' + b"9" * 5000 + b"]}", Limits())
    assert error.value.status == 400


def test_body_must_be_json(server: tuple[str, int]) -> None:
    connection = http.client.HTTPConnection(*server, timeout=30)
    connection.request(
        "POST", "/predict", body=json.dumps({"text": TEXT}).encode(), headers={"Content-Type": "text/plain"}
    )
    response = connection.getresponse()
    assert response.status == 415 and "application/json" in json.loads(response.read())["error"]
    connection.close()


def test_a_body_that_never_arrives_times_out(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=30) as client:
        client.sendall(
            b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        answer = client.recv(4096).decode()
        while not answer.endswith("}"):
            answer += client.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408") and "not received within 1 s" in answer, answer
    assert time.monotonic() - started < 10


def test_a_slow_request_does_not_stall_the_others(tagger) -> None:  # type: ignore[no-untyped-def]
    from hadath.serve import Limits

    limits = Limits(max_bytes=2_000_000, max_texts=256, batch_size=8, max_words=1_000_000, queue_timeout=0.5,
                    max_pieces=10_000_000)  # fmt: skip
    address = next(iter(served := _serve(tagger, limits)))
    try:
        slow = json.dumps({"texts": [" ".join(["بغداد"] * 500)] * 100}).encode()  # 50,000 words
        answers: list[int] = []
        worker = threading.Thread(target=lambda: answers.append(request(address, "POST", "/predict", slow)[0]))
        worker.start()
        time.sleep(1.5)  # parsed, counted and holding the model by now
        started = time.monotonic()
        status, body = request(address, "POST", "/predict", json.dumps({"text": TEXT}).encode())
        waited = time.monotonic() - started
        worker.join(timeout=300)
        assert answers == [200]
        assert status == 503 and isinstance(body, dict) and "busy" in body["error"], body
        assert waited < 5, waited
    finally:
        next(served, None)


def test_a_request_that_expands_is_refused_before_the_model_runs(tagger) -> None:  # type: ignore[no-untyped-def]
    from hadath.serve import Limits

    # U+FDFA normalizes to 18 letters and this tokenizer cuts each 17-ligature word into ~150 pieces: inside the
    # byte and word limits, this request alone held the model for about a minute.
    limits = Limits(max_bytes=1_000_000, max_texts=8, batch_size=8, max_words=20_000, max_pieces=20_000)
    address = next(iter(served := _serve(tagger, limits)))
    try:
        bomb = json.dumps({"text": " ".join(["\ufdfa" * 17] * 2000)}).encode()
        answers: list[tuple[int, dict | str]] = []
        worker = threading.Thread(target=lambda: answers.append(request(address, "POST", "/predict", bomb)))
        worker.start()
        time.sleep(0.2)
        started = time.monotonic()
        status, body = request(address, "POST", "/predict", json.dumps({"text": TEXT}).encode())
        waited = time.monotonic() - started
        worker.join(timeout=60)
        assert status == 200 and isinstance(body, dict) and body["records"][0]["text"] == TEXT
        assert waited < 2.0, waited
        ((bomb_status, bomb_body),) = answers
        assert bomb_status == 413 and isinstance(bomb_body, dict), bomb_body
        assert "subword pieces" in bomb_body["error"], bomb_body
        # The character count stops it too, before any tokenizing.
        small = Limits(max_characters=10_000)
        from hadath.inference.request_cost import WorkLimitError, piece_counter, request_cost

        with pytest.raises(WorkLimitError, match="characters once normalized"):
            request_cost([" ".join(["\ufdfa"] * 600)], piece_counter(tagger.tokenizer), tagger.metadata.normalizer,
                         small.max_characters, small.max_pieces)  # fmt: skip
    finally:
        next(served, None)


def test_slow_and_silent_connections_are_closed(tagger) -> None:  # type: ignore[no-untyped-def]
    from hadath.serve import Limits

    # Slowloris on 127.0.0.1, bounded: 10 silent connections and 10 that drip a header byte every 0.2 s, for at
    # most 6 s. Each must be closed by the server (recv gives b"") about 1 s (the head deadline) after opening.
    limits = Limits(max_bytes=4096, max_texts=3, batch_size=8, max_words=200, read_timeout=1.0, header_timeout=1.0)
    address = next(iter(served := _serve(tagger, limits)))
    clients: list[socket.socket] = []
    try:
        started = time.monotonic()
        for _ in range(20):
            client = socket.create_connection(address, timeout=5)
            client.setblocking(False)
            clients.append(client)
        head = b"POST /predict HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
        closed_after: dict[int, float] = {}
        for step in range(30):  # 30 × 0.2 s
            for index, client in enumerate(clients):
                if index in closed_after:
                    continue
                try:
                    if index % 2 and step < len(head):
                        client.send(head[step : step + 1])
                    if client.recv(1024) == b"":
                        closed_after[index] = time.monotonic() - started
                except BlockingIOError:
                    pass
                except (ConnectionResetError, BrokenPipeError):
                    closed_after[index] = time.monotonic() - started
            if len(closed_after) == len(clients):
                break
            time.sleep(0.2)
        assert len(closed_after) == len(clients), f"{len(clients) - len(closed_after)} connections still open"
        assert max(closed_after.values()) < 4.0, closed_after
        # A normal client is served all along.
        status, _ = request(address, "GET", "/health")
        assert status == 200
    finally:
        for client in clients:
            client.close()
        next(served, None)


def test_page_is_rtl_and_self_contained(server: tuple[str, int]) -> None:
    status, page = request(server, "GET", "/")
    assert status == 200 and isinstance(page, str)
    assert 'dir="rtl"' in page and "<textarea" in page
    assert "http://" not in page and "https://" not in page  # no CDN: works offline


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="headless Chromium not installed (apt-get install chromium)")
def test_page_highlights_entities_in_headless_chromium(server: tuple[str, int], tmp_path: Path) -> None:
    image_module = pytest.importorskip("PIL.Image")
    Image = image_module  # noqa: N806  # the usual name of PIL's module
    url = f"http://{server[0]}:{server[1]}/?text={urllib.parse.quote(TEXT)}"
    flags = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
             f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    assert 'data-ready="1"' in dom, dom[-2000:]
    assert dom.count('<mark class="entity" data-label="LOC"') == len(TEXT.split())
    shot = tmp_path / "page.png"
    subprocess.run([*flags, f"--screenshot={shot}", "--window-size=900,600", url], capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    assert image.size == (900, 600)
    # The LOC highlight colour (#9bf6ff) must cover a visible area, and start at the right: text runs right to left.
    pixels = np.asarray(image)
    columns = np.nonzero((pixels == (0x9B, 0xF6, 0xFF)).all(axis=-1))[1]
    assert columns.size > 2000
    assert columns.max() > 0.8 * image.size[0]
