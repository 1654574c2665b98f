"""Printing an HTML page to PDF: with WeasyPrint when it is installed (`pip install 'kbo[pdf]'`), else with
a Chromium-family browser found on the machine (Chromium, Chrome, Edge; or the one `KBO_CHROMIUM` names),
run headless. Both honour the page's CSS for A4, page numbers and repeated headers. Without either, the
error says how to get one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kbo_cli.errors import KboError
from kbo_cli.i18n import _

BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)
#: where Windows and macOS keep the browsers (not on PATH there)
KNOWN_PLACES = (
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
TIMEOUT_SECONDS = 300


def browser() -> str | None:
    """A Chromium-family browser to print with, or None."""
    chosen = os.environ.get("KBO_CHROMIUM", "").strip()
    if chosen:
        return chosen if Path(chosen).is_file() else shutil.which(chosen)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in KNOWN_PLACES if Path(place).is_file()), None)


def write_pdf(html: str, out: Path, shown: Path | None = None) -> str:
    """Print `html` to the PDF file `out` (`shown` is the file the user asked for, where `out` is where it is
    written first); returns the engine used."""
    try:
        import weasyprint  # optional (the pdf extra), and heavy: only when a PDF is printed
    except (ImportError, OSError):  # OSError: WeasyPrint installed without its system libraries
        weasyprint = None
    if weasyprint is not None:
        weasyprint.HTML(string=html).write_pdf(str(out))
        return "WeasyPrint"
    chrome = browser()
    if chrome is None:
        raise KboError(
            _("kbo needs a PDF engine to write {path}", path=(shown or out).name),
            _(
                "install Chromium, Chrome or Edge (or set KBO_CHROMIUM), or run pip install 'kbo[pdf]'; "
                "or write --out FILE.html and print it from a browser"
            ),
        )
    with tempfile.TemporaryDirectory(prefix="kbo-pdf-") as work:
        page = Path(work) / "brief.html"
        page.write_text(html, encoding="utf-8")
        command = [
            chrome,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise KboError(
                _("the browser could not print the PDF ({reason})", reason=str(exc)[:120]),
                _("write --out FILE.html and print it from a browser"),
            ) from exc
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise KboError(
            _(
                "the browser could not print the PDF ({reason})",
                reason=done.stderr.decode(errors="replace").strip().splitlines()[-1:] or done.returncode,
            ),
            _("write --out FILE.html and print it from a browser"),
        )
    return Path(chrome).name
