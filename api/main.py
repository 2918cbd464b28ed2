"""Build the Stafet web app: ``uvicorn api.main:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from api.auth import current_principal
from api.errors import install_error_handlers
from api.middleware import install_middleware
from api.openapi import DESCRIPTION, TAGS, build_openapi
from api.pages import STATIC_DIR
from api.pages.routes import router as pages_router
from api.pages.signin import router as signin_router
from api.params import EmptyQueryIsAbsent
from api.response_cache import ResponseCache
from api.responses import JSONResponse
from api.routers import (
    access,
    changes,
    dependencies,
    docs,
    edits,
    health,
    imports,
    linked_data,
    quality,
    referral,
    resources,
    search,
    sparql,
    who,
)
from api.runtime import Runtime, load
from api.session import install_sessions
from api.settings import Settings
from api.sparql.engine import SparqlEngine
from graph.data.loader import Source, TurtleFiles, default_source
from graph.store.backend import Store
from graph.store.open import open_store, seed_store
from graph.store.source import StoreSource

__all__ = ["create_app"]

log = logging.getLogger("stafet.api")
ROUTERS = (
    health,
    search,
    who,
    referral,
    dependencies,
    quality,
    resources,
    linked_data,
    sparql,
    access,
    changes,
    edits,
)
ROUTERS_WITH_FILES = (imports,)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the knowledge graph once; the rest is warmed while the app answers.

    The app answers as soon as the graph and the first answers' indexes are loaded; a
    SPARQL query that arrives before the worker is ready waits for it.
    """
    settings: Settings = app.state.settings
    seed = default_source(settings.data_dir)
    store = open_configured_store(settings, seed)
    source: Source = StoreSource(store) if store is not None else seed
    # Started with the store's data (not the seed's) by Runtime.start_warming.
    engine = SparqlEngine(settings, seed.files) if settings.sparql_enabled else None
    runtime: Runtime | None = None
    try:
        knowledge, seconds = load(settings, source)
        runtime = Runtime(settings, knowledge, engine, seconds, store=store)
        if isinstance(source, StoreSource):
            runtime.sequence = runtime.head = source.head.sequence
        app.state.runtime = runtime
        runtime.start_warming()  # the rest of the indexes and the SPARQL worker
        runtime.start_polling()  # other instances' changes, every store_poll_seconds
        log.info("Stafet klar: %s (%.1f s)", source.describe(), seconds)
        yield
    finally:
        if runtime is not None:
            runtime.stop_polling()
            runtime.save_cache()
        if engine is not None:
            await engine.close()
        if store is not None:
            store.close()


def open_configured_store(settings: Settings, seed: TurtleFiles) -> Store | None:
    """The store of record the settings name, seeded on first use; None for read-only Turtle."""
    if not settings.store_url and settings.store_path is None:
        return None
    password = settings.store_password.get_secret_value() if settings.store_password else None
    store = open_store(
        path=settings.store_path,
        url=settings.store_url,
        update_url=settings.store_update_url,
        user=settings.store_user,
        password=password,
    )
    seed_store(store, seed)
    return store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the app; ``settings`` default to the ``STAFET_*`` environment."""
    settings = settings or Settings()
    app = FastAPI(
        title="Stafet",
        version="1",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,  # our own /docs: FastAPI's loads Swagger UI from a CDN
        redoc_url=None,
        default_response_class=JSONResponse,
        lifespan=lifespan,
        telemetry={"auto_configure": False},  # never export anything, whatever the env says
        dependencies=[Depends(current_principal)],  # a bad token is a 401 on every route
    )
    app.state.settings = settings
    install_error_handlers(app)
    if settings.writer_url:  # innermost: the limits and checks in front of it still apply
        from api.forwarding import WriteForwarding  # httpx only when forwarding

        app.add_middleware(WriteForwarding, writer_url=settings.writer_url)
    install_middleware(app, settings)
    app.add_middleware(EmptyQueryIsAbsent)  # an empty query value is no value
    app.add_middleware(ResponseCache, state=app.state)  # outermost: a kept answer skips it all
    install_sessions(app)
    app.include_router(signin_router)  # /login, /logout and the edit forms
    app.include_router(pages_router)  # first: /id/task/… and /id/unit/… pages for browsers
    for module in (*ROUTERS, *ROUTERS_WITH_FILES):
        app.include_router(module.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = partial(build_openapi, app)  # type: ignore[method-assign]
    return app
