#!/usr/bin/env python3
# The benchmarks' load client: CLIENTS threads over keep-alive connections,
# each sending the next drone's heartbeat (drone-1 .. drone-DRONES, bearer
# token-N) to the controller at URL for SECONDS, and echoing back the builds
# each reply assigned, as agents do, so leases stay held. Prints one line of
# counts and latency percentiles.
#   heartbeat-load.py URL DRONES CLIENTS SECONDS
import json, os, socket, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import read_reply
url, drones, clients, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
host, port = url[len("http://"):].split(":")
report = {"deployVersion": "v1", "treeRevision": "rev", "health": "HEALTHY",
          "resources": {"cores": 16, "memoryBytes": 34359738368,
                        "memoryUsedPercent": 40.0, "diskUsedPercent": 50.0, "load1": 2.0},
          "actions": []}
held = {}  # drone -> the builds its last reply assigned, echoed back as agents do
lat, errors, lock = [], [0], threading.Lock()
deadline = time.monotonic() + duration
def client(k):
    # One write per request: a request split over two writes would measure
    # Nagle's algorithm against delayed ACKs (40 ms) instead of the controller.
    def connect():
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, sock.makefile("rb")
    sock, reader = connect()
    i = k
    mine = []
    while time.monotonic() < deadline:
        d = i % drones + 1
        i += clients
        with lock:
            builds = held.get(d, [])
        body = json.dumps(dict(report, builds=builds))
        req = (f"POST /api/v1/drones/drone-{d}/heartbeat HTTP/1.1\r\nHost: {host}\r\n"
               f"Authorization: Bearer token-{d}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n{body}").encode()
        t0 = time.monotonic()
        sock.sendall(req)
        first = reader.readline()
        if not first:  # the server ends keep-alive after a few requests: reconnect, resend
            sock.close()
            sock, reader = connect()
            t0 = time.monotonic()
            sock.sendall(req)
            first = reader.readline()
        status, reply = read_reply(reader, first)
        mine.append(time.monotonic() - t0)
        if status == 200:
            got = json.loads(reply).get("assignments", [])
            with lock:
                held[d] = [{"assignment": a["id"], "package": a["package"], "state": "Running"}
                           for a in got]
        if status != 200:
            with lock: errors[0] += 1
    with lock: lat.extend(mine)
threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
[t.start() for t in threads]; [t.join() for t in threads]
lat.sort()
n = len(lat)
pct = lambda p: lat[min(n - 1, int(p * n))] * 1000
print(f"drones={drones} clients={clients} seconds={duration:g}")
print(f"heartbeats={n} errors={errors[0]} rate={n/duration:.0f}/s "
      f"p50={pct(0.5):.2f}ms p99={pct(0.99):.2f}ms max={lat[-1]*1000:.2f}ms")
