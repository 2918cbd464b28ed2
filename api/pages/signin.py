"""``/login`` and ``/logout``: staff sign in with a name and password and get a session cookie.

A wrong name or password gives one Danish message (never which of the two was wrong) in
the same time either way; after :attr:`~api.session.LoginThrottle.limit` failures on a
name within a quarter of an hour, that name is refused for a while (429). Both forms carry
a CSRF token (:func:`api.session.check_csrf`).
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.pages import editing
from api.pages.common import page
from api.session import (
    LoginThrottle,
    authenticator,
    begin_session,
    check_csrf,
    current_staff,
    end_session_cookie,
    remember_csrf_seed,
    safe_next,
)
from api.settings import Settings
from graph.present.vocabulary import ADMINISTRATION_LABELS

router = APIRouter(include_in_schema=False)
router.include_router(editing.router)  # the "Ret" forms, for signed-in staff

#: The Danish word for each role a member of staff can have.
ROLE_WORDS = {"editor": "redaktør", "reviewer": "koordinationsgruppen", "admin": "administrator"}


def _form_page(
    request: Request, *, status_code: int = 200, error: str | None = None, **values: Any
) -> Response:
    staff = current_staff(request)
    context = {
        "nav": "login",
        "error": error,
        "name": values.get("name", ""),
        "next": values.get("next", "/"),
        "signed_in": staff,
        "role_word": ROLE_WORDS.get(staff.role, staff.role) if staff else None,
        "administration": (
            ADMINISTRATION_LABELS.get(staff.forvaltning, staff.forvaltning)
            if staff and staff.forvaltning
            else None
        ),
        "store": request.app.state.runtime.store is not None,
    }
    response = page(request, "login.html", context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return remember_csrf_seed(request, response)


@router.get("/login")
def login_form(request: Request, neste: str | None = None) -> Response:
    return _form_page(request, next=safe_next(neste))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    name = str(form.get("navn") or "").strip()[:100]
    password = str(form.get("adgangskode") or "")[:1000]
    target = safe_next(form.get("neste"))
    runtime = request.app.state.runtime
    if runtime.store is None:
        return _form_page(
            request,
            status_code=503,
            error="Denne server kører kun med læseadgang (intet register), så ingen kan logge ind.",
            name=name,
            next=target,
        )
    if not name or not password:
        return _form_page(
            request,
            status_code=400,
            error="Skriv både brugernavn og adgangskode.",
            name=name,
            next=target,
        )
    throttle = cast(LoginThrottle, request.app.state.login_throttle)
    wait = throttle.wait(name)
    if wait:
        minutes = max(1, round(wait / 60))
        response = _form_page(
            request,
            status_code=429,
            error=f"For mange forkerte forsøg med dette brugernavn. Prøv igen om {minutes} "
            f"minut{'ter' if minutes != 1 else ''}.",
            name=name,
            next=target,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    settings = cast(Settings, request.app.state.settings)
    account = authenticator(settings).authenticate(runtime.store, name, password)
    if account is None:
        throttle.failed(name)
        return _form_page(
            request,
            status_code=400,
            error="Forkert brugernavn eller adgangskode.",
            name=name,
            next=target,
        )
    throttle.succeeded(name)
    response = RedirectResponse((request.scope.get("root_path") or "") + target, 303)
    begin_session(request, response, account.name)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    if current_staff(request) is not None:  # signing out someone already out needs no token
        check_csrf(request, form)
    response = RedirectResponse((request.scope.get("root_path") or "") + "/", 303)
    end_session_cookie(request, response)
    return response
