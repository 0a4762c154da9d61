"""The serve page in a real headless Chromium: highlights land on the letters the API's offsets name, also after
characters JavaScript counts as two (emoji), in right-to-left Arabic. Skipped when Chromium is not installed."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Emoji outside the BMP (two UTF-16 units each), a skin-tone modifier and a flag (two code points each) before and
# between Arabic words: every offset after the first emoji differs between Python and JavaScript string indices.
TEXT = "😀 زار محمد 👍🏽 بغداد اليوم 🇮🇶 كركوك"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A tiny trained model whose entity head is pushed towards B-LOC (every word a LOC span), served on a port."""
    import socket
    import threading
    import time

    import torch
    import uvicorn

    from hadath.inference.tagger import Tagger
    from hadath.serve import Limits, create_app

    output = tmp_path_factory.mktemp("run")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=2", "--set", "training.logging_steps=2",
         "--set", "training.tensorboard=false", "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    tagger = Tagger.load(output / "model", device="cpu")
    tags = tagger.metadata.labels.layers["entities"]
    with torch.no_grad():
        tagger.model.head("entities").bias[tags.index("B-LOC")] += 50.0
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    instance = uvicorn.Server(uvicorn.Config(create_app(tagger, Limits()), log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield sock.getsockname()
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _predict(address: tuple[str, int], text: str) -> dict:  # type: ignore[type-arg]
    import http.client
    import json

    connection = http.client.HTTPConnection(*address, timeout=60)
    connection.request("POST", "/predict", json.dumps({"text": text}), {"Content-Type": "application/json"})
    record: dict = json.loads(connection.getresponse().read())["records"][0]  # type: ignore[type-arg]
    connection.close()
    return record


def _page_dom(address: tuple[str, int], text: str, profile: Path) -> str:
    assert CHROMIUM is not None
    url = f"http://{address[0]}:{address[1]}/?text={urllib.parse.quote(text)}"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
             f"--user-data-dir={profile}", "--dump-dom", url]  # fmt: skip
    return subprocess.run(flags, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.parametrize("text", [TEXT, "زار محمد بغداد", "👨‍👩‍👧 في الموصل 𝔸 وأربيل"])
def test_highlights_land_on_the_right_letters(server: tuple[str, int], text: str, tmp_path: Path) -> None:
    record = _predict(server, text)
    expected = [span["text"] for span in record["entities"]]
    assert expected, record  # the biased head makes every word a span
    assert all(text[span["start"] : span["end"]] == span["text"] for span in record["entities"])
    dom = _page_dom(server, text, tmp_path / "profile")
    assert 'data-ready="1"' in dom, dom[-2000:]
    marks = re.findall(r'<mark class="entity[^"]*" data-label="LOC"[^>]*>(.*?)</mark>', dom)
    assert [html.unescape(mark) for mark in marks] == expected
    events = re.findall(r'<mark class="[^"]*event" [^>]*data-event="[^"]+"[^>]*>(.*?)</mark>', dom)
    assert [html.unescape(mark) for mark in events] == [span["text"] for span in record["events"]]
    # The whole text is still on the page, in order, with nothing lost or doubled around the highlights.
    box = re.search(r'<div class="record" dir="rtl">(.*?)</div>', dom, re.S)
    assert box is not None
    shown = html.unescape(re.sub(r'<sub[^>]*>.*?</sub>|<div class="labels">.*|<[^>]+>', "", box.group(1)))
    assert shown == text
