"""A local OAuth 2 server that speaks MediaWiki's endpoints (Extension:OAuth under rest.php), for the
tests of sign-in with a Wikimedia account: a real HTTP server on 127.0.0.1, in a thread.

    /w/rest.php/oauth2/authorize          GET: the consent page (Allow / Cancel buttons, a form)
                                          POST: the person's answer, back to redirect_uri
    /w/rest.php/oauth2/access_token       POST: code -> access token (client id and secret checked)
    /w/rest.php/oauth2/resource/profile   GET with "Authorization: Bearer ...": the profile JSON

It checks what a wiki checks: the client id, the secret, the registered callback, a code used once
and within its client and callback, the bearer token. Every request it received is kept in
`requests` (path, method, headers) so tests can check what the hub sent (its User-Agent).
"""

import html
import json
import secrets
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

BASE = "/w/rest.php"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)


@dataclass
class Grant:
    client_id: str
    redirect_uri: str


class MediaWikiOAuthServer:
    """Start with `start()`, stop with `stop()`; `rest_api` is the address the hub's settings use.

    `profile` is what /oauth2/resource/profile answers for the person who allows the request;
    change it between sign-ins to play another wiki user."""

    def __init__(self, *, client_id: str, secret: str, callback: str, profile: dict[str, Any]):
        self.client_id = client_id
        self.secret = secret
        self.callback = callback
        self.profile = dict(profile)
        self.requests: list[Received] = []
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- running -------------------------------------------------------------------------------

    def start(self) -> "MediaWikiOAuthServer":
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and free its port: requests to it now fail to connect."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"  # noqa: S101
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_api(self) -> str:
        return self.origin + BASE

    def received(self, endpoint: str) -> list[Received]:
        """The requests that reached /oauth2/<endpoint>."""
        with self._lock:
            return [r for r in self.requests if r.path == f"{BASE}/oauth2/{endpoint}"]

    # -- what the wiki does ------------------------------------------------------------------------

    def _record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def _authorize_error(self, query: dict[str, str]) -> str | None:
        if query.get("client_id") != self.client_id:
            return "Unknown OAuth consumer (client_id)."
        if query.get("response_type") != "code":
            return "response_type must be code."
        if query.get("redirect_uri", self.callback) != self.callback:
            return "The callback URL does not match the consumer's registered callback."
        return None

    def _issue_code(self, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = Grant(
                client_id=query["client_id"], redirect_uri=query.get("redirect_uri", self.callback)
            )
        return code

    def _exchange(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.secret:
            return 401, {"error": "invalid_client", "message": "Client authentication failed"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant.client_id != form["client_id"]:
            return 400, {"error": "invalid_grant", "message": "Unknown or used code"}
        if form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "message": "redirect_uri mismatch"}
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = dict(self.profile)
        return 200, {
            "token_type": "Bearer",
            "expires_in": 14400,
            "access_token": token,
            "refresh_token": secrets.token_urlsafe(24),
        }

    def _profile_for(self, authorization: str) -> dict[str, Any] | None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer":
            return None
        with self._lock:
            return self._tokens.get(token)


def approve(authorize_url: str, *, allow: bool = True) -> str:
    """What a person's browser does on the consent page: fetch it, press Allow (or Cancel).
    Returns the address the wiki sends the browser back to (the hub's callback)."""
    with urllib.request.urlopen(authorize_url) as response:  # noqa: S310 (the local server)
        assert response.status == 200  # noqa: S101
    parts = urlsplit(authorize_url)
    body = parts.query + "&" + urlencode({"decision": "allow" if allow else "cancel"})
    request = urllib.request.Request(  # noqa: S310
        f"{parts.scheme}://{parts.netloc}{parts.path}", data=body.encode(), method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request)
    except urllib.error.HTTPError as exc:
        if exc.code == 302:
            return exc.headers["Location"]
        raise
    raise AssertionError("the consent page did not redirect")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _handler_for(server: MediaWikiOAuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests read `server.requests`

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            return {k: v[0] for k, v in parse_qs(raw).items()}

        def _send(self, status: int, body: str, content_type: str, **headers: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, json.dumps(payload), "application/json")

        def _record(self, form: dict[str, str] | None = None) -> str:
            path = urlsplit(self.path).path
            server._record(Received(self.command, path, dict(self.headers.items()), form or {}))
            return path

        def do_GET(self) -> None:
            path = self._record()
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            if path == f"{BASE}/oauth2/authorize":
                self._consent_page(query)
            elif path == f"{BASE}/oauth2/resource/profile":
                profile = server._profile_for(self.headers.get("Authorization", ""))
                if profile is None:
                    self._json(401, {"error": "invalid_token"})
                else:
                    self._json(200, profile)
            else:
                self._send(404, "Not found", "text/plain")

        def do_POST(self) -> None:
            form = self._form()
            path = self._record(form)
            if path == f"{BASE}/oauth2/access_token":
                status, payload = server._exchange(form)
                self._json(status, payload)
            elif path == f"{BASE}/oauth2/authorize":
                self._decide(form)
            else:
                self._send(404, "Not found", "text/plain")

        def _consent_page(self, query: dict[str, str]) -> None:
            error = server._authorize_error(query)
            if error:
                self._send(400, f"<p>{html.escape(error)}</p>", "text/html; charset=utf-8")
                return
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in query.items()
            )
            name = html.escape(str(server.profile.get("username", "")))
            page = (
                "<!doctype html><html lang='en'><head><title>Allow access - Test wiki</title>"
                "</head><body><main><h1>Allow access</h1>"
                f"<p>Signed in to the test wiki as {name}. The application wants to know who you"
                " are (basic identity).</p>"
                f"<form method='post'>{hidden}"
                "<button name='decision' value='allow'>Allow</button> "
                "<button name='decision' value='cancel'>Cancel</button></form></main></body></html>"
            )
            self._send(200, page, "text/html; charset=utf-8")

        def _decide(self, form: dict[str, str]) -> None:
            error = server._authorize_error(form)
            if error:
                self._send(400, f"<p>{html.escape(error)}</p>", "text/html; charset=utf-8")
                return
            back: dict[str, str] = {}
            if form.get("decision") == "allow":
                back["code"] = server._issue_code(form)
            else:
                back["error"] = "access_denied"
            if "state" in form:
                back["state"] = form["state"]
            redirect_uri = form.get("redirect_uri", server.callback)
            separator = "&" if "?" in redirect_uri else "?"
            self._send(302, "", "text/plain", Location=redirect_uri + separator + urlencode(back))

    return Handler
