#!/usr/bin/env python3
"""A state server for OpenTofu's builtin `http` backend, on 127.0.0.1, for the real-tools suite.

    http_backend.py DATA_DIR

Listens on a free loopback port and writes it to DATA_DIR/port once it serves. Per state NAME:
  GET    /state/NAME   the state (404 when there is none)
  POST   /state/NAME   store the state           -> DATA_DIR/NAME.tfstate
  DELETE /state/NAME   drop it
  LOCK   /lock/NAME    take the lock (423 with the holder's info when held) -> DATA_DIR/NAME.lock
  UNLOCK /lock/NAME    release it
While DATA_DIR/delay-writes holds a number N, every state POST waits N seconds before it is
stored and answered: a slow backend, to show what an orchestrator's signals do while OpenTofu
is saving state after an interrupt. Each request is appended to DATA_DIR/requests.log.
"""
import http.server
import os
import sys
import threading
import time
import urllib.parse

DATA = sys.argv[1]
_guard = threading.Lock()


def _path(kind, name):
    safe = name.replace("/", "__")
    return os.path.join(DATA, safe + kind)


def _log(line):
    with _guard, open(os.path.join(DATA, "requests.log"), "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: requests.log is the record
        pass

    def _target(self, prefix):
        path = urllib.parse.urlparse(self.path).path
        if not path.startswith(prefix):
            return None
        return path[len(prefix):]

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        name = self._target("/state/")
        _log("GET %s" % name)
        p = _path(".tfstate", name or "")
        if name is None or not os.path.exists(p):
            return self._send(404)
        with open(p, "rb") as f:
            self._send(200, f.read())

    def do_POST(self):
        name = self._target("/state/")
        body = self._body()
        delay_file = os.path.join(DATA, "delay-writes")
        delay = 0.0
        if os.path.exists(delay_file):
            with open(delay_file) as f:
                delay = float(f.read().strip() or 0)
        _log("POST %s delay=%g" % (name, delay))
        if delay:
            time.sleep(delay)
        with _guard:
            tmp = _path(".tfstate.tmp", name)
            with open(tmp, "wb") as f:
                f.write(body)
            os.replace(tmp, _path(".tfstate", name))
        _log("POST %s stored" % name)
        self._send(200)

    def do_DELETE(self):
        name = self._target("/state/")
        _log("DELETE %s" % name)
        try:
            os.remove(_path(".tfstate", name))
        except FileNotFoundError:
            pass
        self._send(200)

    def do_LOCK(self):
        name = self._target("/lock/")
        body = self._body()
        p = _path(".lock", name)
        with _guard:
            if os.path.exists(p):
                with open(p, "rb") as f:
                    held = f.read()
                _log("LOCK %s refused" % name)
                return self._send(423, held)
            with open(p, "wb") as f:
                f.write(body)
        _log("LOCK %s" % name)
        self._send(200)

    def do_UNLOCK(self):
        name = self._target("/lock/")
        self._body()
        with _guard:
            try:
                os.remove(_path(".lock", name))
            except FileNotFoundError:
                pass
        _log("UNLOCK %s" % name)
        self._send(200)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = os.path.join(DATA, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, os.path.join(DATA, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
