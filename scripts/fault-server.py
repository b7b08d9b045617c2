#!/usr/bin/env python3
"""A local misbehaving HTTP server for Lookout's data-source tests and benchmarks.

Listens on 127.0.0.1, port 0 (the kernel picks a free one), and prints one line:
    PORT <port> CLOSED <port-of-a-closed-socket>
then serves until killed. URL shape: /<fault>/metrics or /<fault>/api/v1/<endpoint>.

Faults: ok, slow (answers after 1 s), hang, drip, 404, 500, 503, truncated, garbage,
invalid-utf8, huge (chunked, no Content-Length; ?mib=N for N MiB, default 4), huge-cl (announced
Content-Length; ?mib=N, default 8),
bad-json, api-error (400), api-error-422, api-error-503, api-error-hostile (control bytes in the
error text), gzip, redirect-loop, accept (needs an OpenMetrics Accept), headers (echoes them),
auth (needs "Authorization: Bearer s3cret").
Control: /heal makes every fault answer like `ok`, /break undoes it, /count?path=P
returns how many requests hit path P (query string excluded).
/bench/<n>/metrics serves the file given with --body (for the 50-target benchmark).
"""
import argparse
import gzip
import json
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

STATE = {"healed": False, "counts": {}, "bench_body": b""}
LOCK = threading.Lock()
STOP = threading.Event()

METRICS = (
    b"# HELP demo_requests_total Requests served.\n"
    b"# TYPE demo_requests_total counter\n"
    b'demo_requests_total{code="200"} 1027\n'
    b'demo_requests_total{code="500"} 3\n'
    b"# HELP demo_temperature_celsius A gauge.\n"
    b"# TYPE demo_temperature_celsius gauge\n"
    b"demo_temperature_celsius 21.5\n"
)


def api_success(endpoint, query):
    now = time.time()
    if endpoint == "query":
        data = {"resultType": "vector", "result": [
            {"metric": {"__name__": "up", "job": "fault"}, "value": [now, "1"]}]}
    elif endpoint == "query_range":
        data = {"resultType": "matrix", "result": [
            {"metric": {"__name__": "up", "job": "fault"}, "values": [[now - 1, "1"], [now, "1"]]}]}
    elif endpoint == "status/buildinfo":
        data = {"version": "2.42.0", "revision": "fault", "branch": "HEAD"}
    elif endpoint == "alerts":
        data = {"alerts": []}
    elif endpoint.startswith("label/"):
        data = ["fault", "node"]
    else:
        return None
    return json.dumps({"status": "success", "data": data}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def send_body(self, code, body, ctype="text/plain; version=0.0.4; charset=utf-8", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def good(self, rest, query):
        if rest.startswith("api/v1/"):
            body = api_success(rest[len("api/v1/"):], query)
            if body is None:
                return self.send_body(404, b"no such endpoint\n")
            return self.send_body(200, body, "application/json")
        return self.send_body(200, METRICS)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        with LOCK:
            STATE["counts"][url.path] = STATE["counts"].get(url.path, 0) + 1
            healed = STATE["healed"]
        parts = url.path.strip("/").split("/", 1)
        fault, rest = parts[0], (parts[1] if len(parts) > 1 else "")
        if fault in ("heal", "break"):
            with LOCK:
                STATE["healed"] = fault == "heal"
            return self.send_body(200, b"ok\n")
        if fault == "count":
            with LOCK:
                n = STATE["counts"].get(query.get("path", [""])[0], 0)
            return self.send_body(200, str(n).encode())
        if fault == "bench":
            return self.send_body(200, STATE["bench_body"])
        if fault == "ok" or (healed and fault != "redirect-loop"):
            return self.good(rest, query)
        handler = getattr(self, "fault_" + fault.replace("-", "_"), None)
        if handler is None:
            return self.send_body(404, b"unknown fault\n")
        return handler(rest, query)

    def fault_slow(self, rest, query):
        time.sleep(1.0)
        return self.good(rest, query)

    def fault_hang(self, rest, query):
        while not STOP.is_set():
            time.sleep(0.1)
            if STATE["healed"]:
                break
        self.close_connection = True

    def fault_drip(self, rest, query):
        body = METRICS * 50
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for b in body:
            if STOP.is_set():
                break
            try:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
            except OSError:
                break
            time.sleep(0.2)
        self.close_connection = True

    def fault_404(self, rest, query):
        return self.send_body(404, b"404 page not found\n")

    def fault_500(self, rest, query):
        return self.send_body(500, b"internal error\n")

    def fault_503(self, rest, query):
        return self.send_body(503, b"service unavailable\n")

    def fault_truncated(self, rest, query):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(METRICS)
        self.wfile.flush()
        self.close_connection = True

    def fault_garbage(self, rest, query):
        body = bytes((i * 7919 + 13) % 256 for i in range(4096))
        return self.send_body(200, body)

    def fault_invalid_utf8(self, rest, query):
        body = b'demo_bad{label="\xff\xfe\xc3("} 1\n' + METRICS
        return self.send_body(200, body)

    def fault_huge(self, rest, query):
        # Chunked, so the client only learns the size while reading.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"# " + b"x" * 65533 + b"\n"
        mib = int(query.get("mib", ["4"])[0])  # ?mib=N sends N MiB (default 4), as fast as the socket takes it
        try:
            for _ in range(16 * mib):
                if STOP.is_set():
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        self.close_connection = True

    def fault_huge_cl(self, rest, query):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(int(query.get("mib", ["8"])[0]) << 20))
        self.end_headers()
        try:
            self.wfile.write(b"# " + b"x" * 1000 + b"\n")
        except OSError:
            pass
        self.close_connection = True

    def fault_sized(self, rest, query):
        # A body of ?bytes=N (comment lines) with its Content-Length, sent in 16 KiB writes.
        n = int(query.get("bytes", ["3000001"])[0])
        body = (b"# " + b"y" * 97 + b"\n") * (n // 100) + b"\n" * (n % 100)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for at in range(0, len(body), 16384):
                self.wfile.write(body[at:at + 16384])
        except OSError:
            pass

    def fault_bad_json(self, rest, query):
        return self.send_body(200, b'{"status":"success","data":{"resultType":"vector","result":[{"metric":', "application/json")

    def fault_api_error(self, rest, query):
        body = json.dumps({"status": "error", "errorType": "bad_data",
                           "error": "1:5: parse error: unexpected end of input"}).encode()
        return self.send_body(400, body, "application/json")

    def fault_api_error_422(self, rest, query):
        # VictoriaMetrics' shape: the errorType is the status code.
        body = json.dumps({"status": "error", "errorType": "422",
                           "error": "error when executing query=\"up\": cannot evaluate"}).encode()
        return self.send_body(422, body, "application/json")

    def fault_api_error_503(self, rest, query):
        body = json.dumps({"status": "error", "errorType": "unavailable",
                           "error": "too many queries in flight"}).encode()
        return self.send_body(503, body, "application/json")

    def fault_api_error_hostile(self, rest, query):
        # Terminal control sequences in the server's words: they must never reach the terminal.
        body = json.dumps({"status": "error", "errorType": "bad_data",
                           "error": "evil \x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \u202eend"}).encode()
        return self.send_body(400, body, "application/json")

    def fault_gzip(self, rest, query):
        return self.send_body(200, gzip.compress(METRICS), extra={"Content-Encoding": "gzip"})

    def fault_redirect_loop(self, rest, query):
        self.send_response(302)
        self.send_header("Location", self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def fault_accept(self, rest, query):
        # Answers only scrapers that offer both OpenMetrics and the text format.
        accept = self.headers.get("Accept", "")
        if "application/openmetrics-text" in accept and "text/plain" in accept:
            return self.good(rest, query)
        return self.send_body(406, b"not acceptable\n")

    def fault_headers(self, rest, query):
        # Echoes the request headers (names lower-cased), so tests can check what is sent.
        lines = "".join(f"{k.lower()}: {v}\n" for k, v in self.headers.items())
        return self.send_body(200, lines.encode())

    def fault_odd_headers(self, rest, query):
        # Field names in any case, tabs and spaces around the values, an empty value, a colon in one.
        body = METRICS
        self.send_response(200)
        self._headers_buffer.append(b"CONTENT-type:\t text/plain; version=0.0.4 \t\r\n")
        self._headers_buffer.append(b"Content-Length: " + str(len(body)).encode() + b"\r\n")
        self._headers_buffer.append(b"X-Empty:\r\n")
        self._headers_buffer.append(b"x-Colon:  a:b  \r\n")
        self.end_headers()
        self.wfile.write(body)

    def fault_auth(self, rest, query):
        if self.headers.get("Authorization") != "Bearer s3cret":
            return self.send_body(401, b"unauthorized\n")
        return self.good(rest, query)


class Server(ThreadingHTTPServer):
    # The default backlog of 5 drops SYNs when 50 targets connect at once.
    request_queue_size = 256
    daemon_threads = True


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def exit_with_parent():
    # If the test process dies without killing us, do not linger.
    parent = os.getppid()
    while not STOP.is_set():
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--body", help="file served on /bench/<n>/metrics")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS with this certificate")
    ap.add_argument("--port-file", help="also write the PORT line to this file (for callers without a pipe)")
    args = ap.parse_args()
    if args.body:
        with open(args.body, "rb") as f:
            STATE["bench_body"] = f.read()
    server = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    line = f"PORT {server.server_address[1]} CLOSED {closed_port()}"
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(line + "\n")
        os.rename(args.port_file + ".tmp", args.port_file)
    print(line, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        STOP.set()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
