#!/usr/bin/env python3
"""Cold-burst client for benchmarks/edge.sh (standard library only).

Opens N connections to one cache first, then sends N GETs for the same URL at the same moment (one per connection,
HTTP/1.1, Connection: close) and reads every response. Prints `key value` lines:
  requests, ok (status 200 and body == expected length and SHA-256), distinct (distinct (length, sha256) pairs among
  200 answers), statuses, xcache (X-Cache values), seconds (first send -> last byte), first_s (fastest whole
  response), errors (connection/parse failures), error (the first failure's text).
"""
import argparse
import asyncio
import collections
import hashlib
import sys
import time


async def fetch(host, port, path, go, connected, results):
    try:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    except OSError as e:
        connected.release()
        results.append(("connect", str(e)))
        return
    connected.release()
    await go.wait()
    start = time.monotonic()
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: edge-bench-burst\r\n"
                     f"Connection: close\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        digest = hashlib.sha256()
        length = 0
        if "content-length" in headers:
            remaining = int(headers["content-length"])
            while remaining:
                chunk = await reader.read(min(remaining, 1 << 20))
                if not chunk:
                    raise EOFError("connection closed before the end of the body")
                digest.update(chunk)
                length += len(chunk)
                remaining -= len(chunk)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                chunk = await reader.readexactly(size)
                digest.update(chunk)
                length += size
                await reader.readexactly(2)
        else:
            while chunk := await reader.read(1 << 20):
                digest.update(chunk)
                length += len(chunk)
        results.append(("ok", status, length, digest.hexdigest(), headers.get("x-cache", "-"),
                        time.monotonic() - start, time.monotonic()))
    except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the burst
        results.append(("error", f"{type(e).__name__}: {e}"))
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", required=True)
    p.add_argument("-n", type=int, default=300)
    p.add_argument("--length", type=int, required=True, help="expected body length")
    p.add_argument("--sha256", required=True, help="expected body SHA-256")
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()

    go = asyncio.Event()
    connected = asyncio.Semaphore(0)
    results = []
    tasks = [asyncio.create_task(fetch(a.host, a.port, a.path, go, connected, results)) for _ in range(a.n)]
    for _ in range(a.n):  # every connection is open (or failed) before the first request is sent
        await connected.acquire()
    t0 = time.monotonic()
    go.set()
    done, pending = await asyncio.wait(tasks, timeout=a.timeout)
    for t in pending:
        t.cancel()
    elapsed = time.monotonic() - t0

    oks = [r for r in results if r[0] == "ok"]
    errors = [r for r in results if r[0] != "ok"]
    statuses = collections.Counter(r[1] for r in oks)
    xcache = collections.Counter(r[4] for r in oks)
    distinct = {(r[2], r[3]) for r in oks if r[1] == 200}
    good = sum(1 for r in oks if r[1] == 200 and r[2] == a.length and r[3] == a.sha256)
    last = max((r[6] for r in oks), default=t0)
    print(f"requests {a.n}")
    print(f"ok {good}")
    print(f"distinct {len(distinct)}")
    print("statuses " + (",".join(f"{k}:{v}" for k, v in sorted(statuses.items())) or "-"))
    print("xcache " + (",".join(f"{k}:{v}" for k, v in sorted(xcache.items())) or "-"))
    print(f"seconds {last - t0:.3f}")
    print(f"first_s {min((r[5] for r in oks), default=0):.3f}")
    print(f"errors {len(errors) + len(pending)}")
    if errors or pending:
        print("error " + (errors[0][1] if errors else f"{len(pending)} requests still running after {a.timeout:.0f} s"))
    print(f"wall {elapsed:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
