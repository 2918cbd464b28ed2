"""Where one of Stafet's resource URIs is shown: the path of the URI itself.

Every resource Stafet mints lives under :data:`ontology.namespaces.ID`
(``https://…/id/unit/bif``); the web app serves each one at its URI's path, and a network
node links to that path. One function, so the library and the web face cannot disagree.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ontology.namespaces import ID

__all__ = ["resource_path"]


def resource_path(uri: str | None) -> str | None:
    """The path one of our resource URIs is served at (``/id/unit/bif``); else None.

    A URI outside our namespace (another authority's, or none) has no local path.

    Examples
    --------
    >>> resource_path(str(ID) + "unit/bif")
    '/id/unit/bif'
    >>> resource_path("https://www.retsinformation.dk/eli/lta/2023/1") is None
    True
    >>> resource_path(None) is None
    True
    """
    return urlsplit(uri).path if uri and uri.startswith(str(ID)) else None
