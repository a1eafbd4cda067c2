"""Loopback servers that misbehave on purpose: silent, scripted HTML, and HTTPS with a
self-signed certificate. Everything binds 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import datetime
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _stop_listener(listener: socket.socket, thread: threading.Thread) -> None:
    """Wake the thread blocked in accept() with one last connection, close, and wait."""
    port = listener.getsockname()[1]
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1.0):
        pass
    listener.close()
    thread.join(timeout=5)
    assert not thread.is_alive()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word until stopped."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.accepted = threading.Event()
        self._held: list[socket.socket] = []
        self._stopping = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed
            if self._stopping:
                conn.close()
                return
            self._held.append(conn)
            self.accepted.set()

    def close(self) -> None:
        self._stopping = True
        _stop_listener(self._listener, self._thread)
        for conn in self._held:
            conn.close()


@dataclass
class Script:
    """What a ScriptedServer answers to every request."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    echo_auth: bool = False  # send the request's Authorization back in a header and the body
    seen: list[str] = field(default_factory=list)


class ScriptedServer:
    """A plain-HTTP loopback server answering every request from `script` (mutable);
    `port` 0 picks a free one."""

    def __init__(self, script: Script, port: int = 0) -> None:
        self.script = script

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                script.seen.append(f"{self.command} {self.path}")
                body = script.body
                self.send_response(script.status)
                if script.echo_auth:
                    auth = self.headers.get("Authorization", "")
                    self.send_header("X-Echo", auth)
                    body += f"you sent {auth}".encode()
                self.send_header("Content-Type", script.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def make_self_signed_certificate(directory: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1/localhost signed by its own key, written as PEM files;
    None when the `cryptography` package is not installed."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TlsServer:
    """A loopback HTTPS endpoint with a self-signed certificate.

    Each connection is put through the TLS handshake; `handshakes_failed` counts handshakes
    the client aborted and `requests` holds any HTTP request line that arrived after a
    successful handshake (there must be none when the client refuses the certificate).
    """

    def __init__(self, cert: Path, key: Path) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.base_url = f"https://127.0.0.1:{self.port}/v1"
        self.handshakes_failed = 0
        self.requests: list[bytes] = []
        self.done = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self._listener.accept()
            except OSError:
                return
            if self._stopping:
                raw.close()
                return
            raw.settimeout(5)
            try:
                with self._context.wrap_socket(raw, server_side=True) as conn:
                    self.requests.append(conn.recv(4096))
            except (ssl.SSLError, OSError):
                self.handshakes_failed += 1
            finally:
                raw.close()
                self.done.set()

    def close(self) -> None:
        self._stopping = True
        _stop_listener(self._listener, self._thread)


@contextlib.contextmanager
def scripted(script: Script):
    server = ScriptedServer(script)
    try:
        yield server
    finally:
        server.close()


def make_certificate(directory: Path) -> tuple[Path, Path] | None:
    """A self-signed certificate via `cryptography`, else the `openssl` command; None if
    neither is available."""
    made = make_self_signed_certificate(directory)
    if made is not None:
        return made
    import shutil
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key_path),
            "-out",
            str(cert_path),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert_path, key_path
