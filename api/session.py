"""Staff sign-in for the pages: who is signed in, the session cookie, CSRF, the identity seam.

Pages and their forms use four functions:

- :func:`current_staff` — the signed-in member of staff, or None (also a Jinja global);
- :func:`require_staff` — the same, or the sign-in page (GET) / a Danish 403 page;
- :func:`csrf_token` — the form token for a hidden ``csrf_token`` field (a Jinja global);
- :func:`check_csrf` — check that token on every POST (a Danish 403 page when wrong).

The session cookie (:data:`api.auth.SESSION_COOKIE`) holds an opaque random secret; the
store keeps its hash, the account and its expiry (:mod:`graph.store.users`). It is
HttpOnly, SameSite=Lax, and Secure when the app is served over HTTPS (``base_url``) or
``session_cookie_secure`` says so. The CSRF token is an HMAC of the session secret (of a
pre-session cookie on the sign-in form), so it needs no storage and changes with every
sign-in; a POST whose ``Origin`` is another site is refused as well.

How staff prove who they are is an :class:`Authenticator` chosen by the ``auth_provider``
setting: today only ``local`` (accounts made with ``stafet user create``). An OpenID
Connect provider can take its place by configuration later (``docs/signin.md``); the
session, the CSRF check and everything after sign-in stay as they are.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol, cast
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from api.auth import SESSION_COOKIE, Principal, session_principal
from api.pages import templates
from api.pages.common import page
from api.runtime import Runtime
from api.settings import Settings
from graph.edit.scope import Role
from graph.store.backend import Store
from graph.store.users import IssuedSession, UserRecord, create_session, verify_password

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "Authenticator",
    "LocalAccounts",
    "LoginThrottle",
    "SignInRequired",
    "StaffForbidden",
    "authenticator",
    "begin_session",
    "check_csrf",
    "csrf_token",
    "current_staff",
    "end_session_cookie",
    "install_sessions",
    "remember_csrf_seed",
    "require_staff",
    "safe_next",
]

#: The pre-session cookie whose HMAC is the sign-in form's CSRF token.
CSRF_COOKIE = "stafet_csrf"
#: The hidden form field every page form carries.
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """The page needs a signed-in member of staff: a browser is sent to ``/login``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class StaffForbidden(Exception):
    """The request may not be made (out of scope, wrong role, bad CSRF token): a 403 page."""

    def __init__(self, message: str, *, title: str = "Det må du ikke") -> None:
        super().__init__(message)
        self.message, self.title = message, title


def current_staff(request: Request) -> Principal | None:
    """The member of staff signed in on ``request`` (by the session cookie), or None.

    Never raises: a missing, unknown, expired or ended session is simply no one. Looked
    up once per request (the store is asked at most every few seconds per session).
    Templates call it as ``current_staff(request)``.
    """
    return session_principal(request)


def require_staff(request: Request, roles: Collection[Role] | None = None) -> Principal:
    """The signed-in member of staff, if their role is in ``roles`` (default: any).

    Raises
    ------
    SignInRequired
        No one is signed in (the app answers a browser with the sign-in page, which
        returns to this page afterwards).
    StaffForbidden
        Signed in, but with a role not in ``roles`` (a Danish 403 page).
    """
    staff = current_staff(request)
    if staff is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    if roles is not None and staff.role not in roles:
        raise StaffForbidden("Din rolle giver ikke adgang til denne side.")
    return staff


def _seed(request: Request) -> str | None:
    """What the CSRF token is derived from: the session, else the pre-session cookie."""
    if current_staff(request) is not None:
        return request.cookies.get(SESSION_COOKIE)
    fresh = getattr(request.state, "stafet_csrf_seed", None)
    return cast(str | None, fresh) or request.cookies.get(CSRF_COOKIE)


def _token_of(seed: str) -> str:
    return hmac.new(seed.encode("utf-8"), b"stafet-csrf", hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token for a form on this page (the value of a hidden ``csrf_token`` field).

    Derived from the session secret, or for someone not signed in from a pre-session
    cookie; when that cookie is missing, a new one is made and :func:`remember_csrf_seed`
    (called by the page that renders the form) sets it.
    """
    seed = _seed(request)
    if seed is None:
        seed = secrets.token_urlsafe(32)
        request.state.stafet_csrf_seed = seed
    return _token_of(seed)


def remember_csrf_seed(request: Request, response: Response) -> Response:
    """Set the pre-session cookie if :func:`csrf_token` made a new one for this response."""
    seed = getattr(request.state, "stafet_csrf_seed", None)
    if seed:
        _set_cookie(request, response, CSRF_COOKIE, seed, max_age=None)
    return response


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    """Refuse the POST unless ``form`` carries this session's CSRF token and comes from us.

    Raises
    ------
    StaffForbidden
        The token is missing or wrong, or the browser says the form came from another
        site (``Origin``): a Danish 403 page, and nothing is done.
    """
    origin = request.headers.get("origin")
    own = str(request.base_url).rstrip("/")
    own_origin = "{0.scheme}://{0.netloc}".format(urlsplit(own))
    if origin is not None and origin != "null" and origin != own_origin:
        raise StaffForbidden("Formularen kom fra et andet websted og er afvist.")
    sent, seed = form.get(CSRF_FIELD), _seed(request)
    if not isinstance(sent, str) or seed is None or not hmac.compare_digest(sent, _token_of(seed)):
        raise StaffForbidden(
            "Formularen kunne ikke godkendes (sikkerhedsfeltet mangler eller er forældet). "
            "Gå tilbage, genindlæs siden, og prøv igen.",
            title="Formularen er afvist",
        )


def safe_next(value: object, default: str = "/") -> str:
    """A path on this site to return to after sign-in; anything else is ``default``.

    >>> safe_next("/id/task/kle-32.03.16?alder=40"), safe_next("//evil.example"), safe_next(None)
    ('/id/task/kle-32.03.16?alder=40', '/', '/')
    """
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 for c in value) or len(value) > 500:
        return default
    return value


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _secure(request: Request) -> bool:
    configured = _settings(request).session_cookie_secure
    return configured if configured is not None else request.url.scheme == "https"


def _set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=(request.scope.get("root_path") or "") + "/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def begin_session(request: Request, response: Response, name: str) -> IssuedSession:
    """Begin a session for the account ``name`` and set its cookie on ``response``."""
    settings = _settings(request)
    issued = create_session(_store(request), name, hours=settings.session_hours)
    _set_cookie(
        request,
        response,
        SESSION_COOKIE,
        issued.secret,
        max_age=int(settings.session_hours * 3600),
    )
    response.delete_cookie(CSRF_COOKIE, path=(request.scope.get("root_path") or "") + "/")
    return issued


def end_session_cookie(request: Request, response: Response) -> None:
    """End the request's session in the store and remove its cookie from the browser."""
    from graph.store.users import end_session

    secret = request.cookies.get(SESSION_COOKIE)
    store = _runtime(request).store
    if secret and store is not None:
        end_session(store, secret)
        cache = getattr(request.app.state, "session_cache", None)
        if cache is not None:
            cache.forget(secret)
    response.delete_cookie(
        SESSION_COOKIE,
        path=(request.scope.get("root_path") or "") + "/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def _runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


def _store(request: Request) -> Store:
    store = _runtime(request).store
    if store is None:
        raise StaffForbidden(
            "Denne server kører kun med læseadgang (intet register), så ingen kan logge ind.",
            title="Log ind er slået fra",
        )
    return store


# -- who staff are: the identity seam ------------------------------------------------------


class Authenticator(Protocol):
    """How a member of staff proves who they are; the session begins after this.

    ``local`` checks a name and password against the accounts in the store. An OpenID
    Connect authenticator would instead send the browser to the identity provider and,
    on its return, map the ID token's claims to an account (name, role, administration);
    the session, CSRF and scope checks after that are the same.
    """

    kind: str

    def authenticate(self, store: Store, name: str, password: str) -> UserRecord | None:
        """The account if ``name`` and ``password`` prove it; None otherwise (same time)."""
        ...


class LocalAccounts:
    """Accounts made with ``stafet user create``: Argon2id password hashes in the store."""

    kind = "local"

    def authenticate(self, store: Store, name: str, password: str) -> UserRecord | None:
        return verify_password(store, name, password)


def authenticator(settings: Settings) -> Authenticator:
    """The authenticator ``settings.auth_provider`` names (today only ``local``)."""
    providers: dict[str, Callable[[], Authenticator]] = {"local": LocalAccounts}
    return providers[settings.auth_provider]()


class LoginThrottle:
    """Refuse further attempts on a name after ``limit`` failures within ``window`` seconds.

    Counted per name (any case), whether or not the account exists, in this process.

    Examples
    --------
    >>> clock = iter(range(0, 10_000, 10)).__next__
    >>> throttle = LoginThrottle(limit=2, window=60, clock=lambda: float(clock()))
    >>> throttle.failed("Anna"); throttle.wait("anna")
    0
    >>> throttle.failed("anna"); throttle.wait("anna") > 0
    True
    >>> throttle.succeeded("anna"); throttle.wait("anna")
    0
    """

    def __init__(
        self, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if t > now - self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, name: str) -> int:
        """Seconds until ``name`` may be tried again (0: now)."""
        now = self._clock()
        with self._lock:
            recent = self._recent(name.strip().lower(), now)
        if len(recent) < self.limit:
            return 0
        return max(1, int(recent[-self.limit] + self.window - now + 0.999))

    def failed(self, name: str) -> None:
        with self._lock:
            if len(self._failures) > 10_000:
                self._failures.clear()  # bounded memory under a spray of names
            self._failures.setdefault(name.strip().lower(), []).append(self._clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.strip().lower(), None)


# -- wiring --------------------------------------------------------------------------------


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    root = request.scope.get("root_path", "")
    return RedirectResponse(f"{root}/login?neste={quote(exc.next_path, safe='')}", 303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StaffForbidden)
    return page(
        request,
        "staff_error.html",
        {"title": exc.title, "message": exc.message},
        status_code=403,
    )


def install_sessions(app: FastAPI) -> None:
    """Give the templates :func:`current_staff` and :func:`csrf_token`; map the two errors."""
    templates.env.globals["current_staff"] = current_staff
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["csrf_field"] = CSRF_FIELD
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(StaffForbidden, _forbidden)
    app.state.login_throttle = LoginThrottle()
