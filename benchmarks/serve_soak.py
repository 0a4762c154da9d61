"""Soak test of `hadath serve`: N requests from C concurrent clients on loopback, bounded in time.

Starts `hadath serve MODEL_DIR` on a free 127.0.0.1 port as its own process (a tiny model trained for a few steps
on the bundled corpus when no --model-dir is given), waits for /health, sends a warm-up, then fires the requests
from client threads (one keep-alive connection each; one to three corpus sentences per request) and samples the
server's resident memory from /proc while they run. Prints one JSON object: request rate, errors, latency, and the
server's RSS at start, after warm-up and at the end, with its peak (VmHWM).

    .venv/bin/python benchmarks/serve_soak.py [--model-dir DIR] [--requests 2000] [--clients 8] [--time-limit 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def train_tiny_model(folder: Path) -> Path:
    """The quickstart config for 4 steps on 40 sentences: a real model, in seconds."""
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    dev = CORPUS / "dev.jsonl"
    command = [sys.executable, "-m", "hadath", "train", str(ROOT / "configs" / "scratch.yaml"),
               "--output-dir", str(folder / "run"), "--set", "training.max_steps=4",
               "--set", "training.tensorboard=false", "--set", f"data.train={folder / 'train.jsonl'}",
               "--set", f"data.dev={dev}", "--set", f"data.test={dev}"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"training the tiny model failed:\n{done.stderr[-2000:]}")
    return folder / "run" / "model"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def request(connection: http.client.HTTPConnection, texts: list[str]) -> int:
    """POST one batch; the status code (a record per text is checked for 200)."""
    body = json.dumps({"texts": texts}, ensure_ascii=False).encode("utf-8")
    connection.request("POST", "/predict", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    if response.status == 200 and len(json.loads(payload)["records"]) != len(texts):
        return -1
    return response.status


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before answering /health")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no /health answer within {timeout:.0f} s")


def soak(port: int, texts: list[str], requests: int, clients: int, time_limit: float) -> dict[str, Any]:
    """Fire `requests` requests from `clients` threads; stop early at `time_limit` seconds."""
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + time_limit

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            batch = [texts[(index * 3 + k) % len(texts)] for k in range(1 + index % 3)]
            started = time.perf_counter()
            try:
                status = request(connection, batch)
            except (OSError, http.client.HTTPException, ValueError) as error:
                status, connection = type(error).__name__, http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests_sent": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms_p50": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "latency_ms_p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
        "stopped_by_time_limit": len(latencies) < requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, help="exported model directory (default: train a tiny one)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=300.0, help="stop sending after this many seconds")
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as folder:
        model_dir = args.model_dir or train_tiny_model(Path(folder))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "hadath", "serve", str(model_dir), "--port", str(port), "--device", "cpu"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy(port, server, timeout=180)
            at_start = memory_kb(server.pid)
            soak(port, texts, 50, 2, 60)  # warm-up: allocator pools and thread pools reach their working size
            after_warmup = memory_kb(server.pid)
            samples: list[int] = []
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.5):
                    samples.append(memory_kb(server.pid)["VmRSS"])

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            result = soak(port, texts, args.requests, args.clients, args.time_limit)
            done.set()
            sampler.join()
            at_end = memory_kb(server.pid)
            alive = server.poll() is None
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    mb = 1024
    result.update(
        {
            "clients": args.clients,
            "requests_asked": args.requests,
            "texts_per_request": "1-3 corpus sentences",
            "server_alive_after": alive,
            "server_rss_mb_start": round(at_start["VmRSS"] / mb, 1),
            "server_rss_mb_after_warmup": round(after_warmup["VmRSS"] / mb, 1),
            "server_rss_mb_end": round(at_end["VmRSS"] / mb, 1),
            "server_rss_mb_max_sampled_during_soak": round(max(samples, default=at_end["VmRSS"]) / mb, 1),
            "server_peak_rss_mb_vmhwm": round(at_end["VmHWM"] / mb, 1),
            # RSS at the end of each quarter of the soak: flat once warm means no per-request growth.
            "server_rss_mb_by_quarter": [
                round(samples[min(len(samples) - 1, (len(samples) * q) // 4)] / mb, 1) for q in (1, 2, 3, 4)
            ]
            if samples
            else [],
            "server_rss_growth_mb_warmup_to_end": round((at_end["VmRSS"] - after_warmup["VmRSS"]) / mb, 1),
            "cpu_count": os.cpu_count(),
            "model_dir": str(args.model_dir) if args.model_dir else "tiny scratch model (4 steps, quickstart config)",
        }
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
