"""A throw-away MediaWiki for tests: Debian's `mediawiki` package, installed into a temporary
directory with an SQLite database, served by `php -S` on 127.0.0.1, stopped at the end.

Use it through a session-scoped fixture (hub/wiki/tests/conftest.py: `mediawiki`):

    wiki = TestWiki.start(tmp_path)
    wiki.edit("Iberocoop", "{| ... |}")   # through maintenance/edit.php, as the Admin user
    wiki.api_url                          # http://127.0.0.1:<port>/api.php
    wiki.stop()

Nothing touches the internet: the installer and the server only read Debian's files and write
into the temporary directory. `scripts/setup` installs the packages (`mediawiki`, `php-sqlite3`,
`php-cli`); `TestWiki.missing()` says what is absent, for a skip with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

MEDIAWIKI = Path("/usr/share/mediawiki")
ADMIN = "Admin"
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TestWiki:
    """A running wiki; `edit` creates or changes pages, `stop` ends the server."""

    root: Path
    port: int
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    __test__ = False  # not a test class, whatever pytest thinks of its name

    @staticmethod
    def missing() -> str:
        """What the machine lacks to run a test wiki ("" when nothing)."""
        php = shutil.which("php")
        if not php or not (MEDIAWIKI / "maintenance" / "install.php").exists():
            return "MediaWiki and PHP are not installed (run scripts/setup --system)"
        modules = subprocess.run(  # noqa: S603 - a fixed command
            [php, "-m"], capture_output=True, text=True, check=False
        ).stdout.split()
        if "pdo_sqlite" not in modules:
            return "PHP's SQLite driver is not installed (run scripts/setup --system)"
        return ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"

    @classmethod
    def start(cls, root: Path) -> TestWiki:
        """Install a new wiki into `root` and serve it on a free port of 127.0.0.1."""
        port = _free_port()
        data = root / "data"
        data.mkdir(parents=True)
        settings_file = root / "LocalSettings.php"
        wiki = cls(root, port, env={**os.environ, "MW_CONFIG_FILE": str(settings_file)})
        wiki._php(
            "maintenance/install.php",
            "--dbtype=sqlite",
            f"--dbpath={data}",
            "--dbname=testwiki",
            f"--server={wiki.url}",
            "--scriptpath=",
            "--pass=throwaway-Test-Wiki-1",
            f"--confpath={root}",
            "--lang=en",
            "--skins=",
            "Test Wiki",
            ADMIN,
        )
        with settings_file.open("a") as file:
            # no mail, no uploads, no jobs run at the end of a request (the answer comes first)
            file.write("\n$wgEnableEmail = false;\n$wgEnableUploads = false;\n$wgJobRunRate = 0;\n")
        wiki.process = subprocess.Popen(  # noqa: S603 - a fixed command
            [shutil.which("php") or "php", "-S", f"127.0.0.1:{port}", "-t", str(MEDIAWIKI)],
            cwd=MEDIAWIKI,
            env=wiki.env,
            stdout=(root / "server.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        wiki._wait()
        return wiki

    def _php(self, script: str, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(  # noqa: S603 - a fixed command, arguments from the tests
            [shutil.which("php") or "php", script, *args],
            cwd=MEDIAWIKI,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"php {script} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        probe = f"{self.api_url}?action=query&meta=siteinfo&format=json"
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:  # noqa: S310 - local
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline or (self.process and self.process.poll()):
                    self.stop()
                    log = (self.root / "server.log").read_text(errors="replace")
                    raise RuntimeError(f"the test wiki did not start:\n{log}") from None
                time.sleep(0.1)

    def edit(self, title: str, text: str, summary: str = "test page", user: str = ADMIN) -> None:
        """Create or change the page `title` (as `user`, the Admin by default; an edit of the
        same text is a null edit and makes no new revision). Another user must exist first
        (`add_user`)."""
        self._php(
            "maintenance/edit.php", f"--user={user}", f"--summary={summary}", title, stdin=text
        )

    def add_user(self, name: str, password: str) -> None:
        """Create an account `name` with `password` (an existing one gets the new password)."""
        self._php("maintenance/createAndPromote.php", "--force", name, password)

    def bot_password(self, user: str, bot: str, password: str) -> str:
        """Give `user` a bot password for `bot` with the grants publishing needs (basic, edit
        existing pages, create pages); the name to sign in with, `user@bot`."""
        self._php(
            "maintenance/createBotPassword.php",
            f"--appid={bot}",
            "--grants=basic,editpage,createeditmovepage",
            user,
            password,
        )
        return f"{user}@{bot}"

    def revision(self, title: str) -> int:
        """The current revision's id of `title` (0 when it does not exist), read over HTTP."""
        query = urllib.parse.urlencode(
            {
                "action": "query",
                "prop": "revisions",
                "titles": title,
                "format": "json",
                "formatversion": "2",
            }
        )
        with urllib.request.urlopen(f"{self.api_url}?{query}", timeout=10) as answer:  # noqa: S310
            page = json.load(answer)["query"]["pages"][0]
        return 0 if page.get("missing") else int(page["revisions"][0]["revid"])

    def text(self, title: str) -> str:
        """The current wikitext of `title`, read over HTTP."""
        query = urllib.parse.urlencode({"action": "raw", "title": title})
        url = f"{self.url}/index.php?{query}"
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the local wiki
            return answer.read().decode()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
