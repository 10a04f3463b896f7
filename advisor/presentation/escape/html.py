"""Text and links for HTML. Markup characters become entities; control characters (NUL,
ESC and the rest, which HTML forbids or browsers drop silently) become visible escapes;
a link is made only for http and https URLs."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from advisor.presentation.escape.terminal import visible


def html_text(text: object) -> str:
    return html.escape(visible(str(text)), quote=True)


def safe_url(url: str) -> str | None:
    """The URL if it is an http(s) link, else None (no `javascript:`, `data:` or relative links)."""
    url = str(url).strip()
    if visible(url, one_line=True) != url:
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def html_link(url: str, text: str | None = None) -> str:
    label = html_text(url if text is None else text)
    target = safe_url(url)
    return f'<a href="{html.escape(target, quote=True)}">{label}</a>' if target else label
