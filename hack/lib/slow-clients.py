#!/usr/bin/env python3
# The slow-client benchmark's two sides, against the controller at URL for
# SECONDS:
#  - the attack: TRICKLE connections that (after a TLS handshake, over https)
#    send one header byte every 2 s, and IDLE ones that send nothing, from
#    PEERS addresses 127.0.0.2...; a connection the controller ends is opened
#    again at once;
#  - the probes: drone-1 .. drone-DRONES heartbeating once a second each over
#    a kept-alive connection (as agents do), and `SWARMCTL get drones` every
#    half second (a new connection each time, as a person's call is).
# Prints the latency percentiles and failures of both probes, and how often the
# attack's connections were cut.
#   slow-clients.py URL CAFILE SWARMCTL SECONDS TRICKLE IDLE PEERS DRONES
import json, os, select, socket, ssl, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import read_reply

url, cafile, swarmctl = sys.argv[1], sys.argv[2], sys.argv[3]
duration, trickle, idle, peers, drones = (float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
                                          int(sys.argv[7]), int(sys.argv[8]))
tls = url.startswith("https://")
host, port = url.split("://")[1].split(":")
port = int(port)
ctx = ssl.create_default_context(cafile=cafile) if tls else None
admin_token = "admintoken"
deadline = time.monotonic() + duration
stop = threading.Event()


def connect(source=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


cut = [0]


def closed(sock):
    """Whether a readable socket was ended by the controller. Over TLS 1.3 the
    server sends session tickets after the handshake: readable, yet open."""
    try:
        return sock.recv(1) == b""
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
        return False
    except OSError:
        return True


def attack():
    request = b"GET /api/v1/drones HTTP/1.1\r\nHost: x\r\nX-Slow: "
    conns = [None] * (trickle + idle)  # [socket, bytes sent]

    def open_conn(i):
        try:
            sock = connect(f"127.0.0.{2 + i % peers}")
            if i < trickle and tls:
                sock = ctx.wrap_socket(sock, server_hostname=host)
            sock.setblocking(False)
            conns[i] = [sock, 0]
        except OSError:
            conns[i] = None

    for i in range(len(conns)):
        open_conn(i)
    next_byte = time.monotonic()
    while not stop.is_set():
        live = [c[0] for c in conns if c]
        readable, _, _ = select.select(live, [], [], 0.1) if live else ([], [], [])
        ended = set(s for s in readable if closed(s))
        send_now = time.monotonic() >= next_byte
        if send_now:
            next_byte += 2
        for i, c in enumerate(conns):
            if c and c[0] in ended:
                c[0].close()
                conns[i] = None
                cut[0] += 1
            if conns[i] is None:
                open_conn(i)
            elif send_now and i < trickle:
                c = conns[i]
                b = request[c[1]:c[1] + 1] or b"a"
                try:
                    c[0].send(b)
                    c[1] += 1
                except (OSError, ssl.SSLWantWriteError):
                    pass
    for c in conns:
        if c:
            c[0].close()


beats, beat_errors = [], [0]


def heartbeat(d):
    body = json.dumps({"deployVersion": "v1", "treeRevision": "rev", "health": "HEALTHY",
                       "resources": {"cores": 16, "memoryBytes": 34359738368,
                                     "memoryUsedPercent": 40.0, "diskUsedPercent": 50.0,
                                     "load1": 2.0}, "actions": [], "builds": []})
    req = (f"POST /api/v1/drones/drone-{d}/heartbeat HTTP/1.1\r\nHost: {host}\r\n"
           f"Authorization: Bearer token-{d}\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n{body}").encode()
    sock = reader = None
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        try:
            if sock is None:
                sock = connect()
                if tls:
                    sock = ctx.wrap_socket(sock, server_hostname=host)
                reader = sock.makefile("rb")
            sock.sendall(req)
            first = reader.readline()
            if not first:
                raise OSError("closed")
            status, _ = read_reply(reader, first)
            if status != 200:
                raise OSError(first.decode().strip())
            beats.append(time.monotonic() - t0)
        except (OSError, ValueError):
            beat_errors[0] += 1
            if sock:
                sock.close()
            sock = None
        time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))


calls, call_errors = [], [0]


def operator():
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        rc = subprocess.run([swarmctl, "get", "drones"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=60).returncode
        if rc == 0:
            calls.append(time.monotonic() - t0)
        else:
            call_errors[0] += 1
        time.sleep(max(0.0, 0.5 - (time.monotonic() - t0)))


attacker = threading.Thread(target=attack)
attacker.start()
time.sleep(2)  # the attack in place before the probes start
probes = [threading.Thread(target=heartbeat, args=(d,)) for d in range(1, drones + 1)]
probes.append(threading.Thread(target=operator))
for t in probes:
    t.start()
for t in probes:
    t.join()
stop.set()
attacker.join()


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else float("nan")


print(f"heartbeats {len(beats)} ok, {beat_errors[0]} failed; "
      f"p50 {pct(beats, 50):.1f} ms, p99 {pct(beats, 99):.1f} ms, max {pct(beats, 100):.1f} ms")
print(f"swarmctl get drones {len(calls)} ok, {call_errors[0]} failed; "
      f"p50 {pct(calls, 50):.0f} ms, p99 {pct(calls, 99):.0f} ms, max {pct(calls, 100):.0f} ms")
print(f"attack connections cut by the controller and opened again: {cut[0]}")


def unreachable_events():
    sock = connect()
    if tls:
        sock = ctx.wrap_socket(sock, server_hostname=host)
    sock.sendall(f"GET /api/v1/events?kind=Drone&limit=1000 HTTP/1.1\r\nHost: {host}\r\n"
                 f"Authorization: Bearer {admin_token}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    body = json.loads(data.split(b"\r\n\r\n", 1)[1])
    return sum(1 for e in body["items"] if e["reason"] == "DroneUnreachable")


print(f"drones found unreachable (DroneUnreachable events): {unreachable_events()}")
