"""Build the Stafet web app: ``uvicorn api.main:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.middleware import install_middleware
from api.openapi import DESCRIPTION, TAGS, build_openapi
from api.pages import STATIC_DIR
from api.pages.routes import router as pages_router
from api.responses import JSONResponse
from api.routers import (
    dependencies,
    docs,
    health,
    linked_data,
    quality,
    referral,
    resources,
    search,
    sparql,
    who,
)
from api.runtime import Runtime, load
from api.settings import Settings
from api.sparql.engine import SparqlEngine
from graph.data.loader import default_source

__all__ = ["create_app"]

log = logging.getLogger("stafet.api")
ROUTERS = (health, search, who, referral, dependencies, quality, resources, linked_data, sparql)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the knowledge graph once; the SPARQL worker loads its store meanwhile.

    The app answers as soon as the graph is loaded; a SPARQL query that arrives before
    the worker is ready waits for it.
    """
    settings: Settings = app.state.settings
    source = default_source(settings.data_dir)
    engine = SparqlEngine(settings, source.files) if settings.sparql_enabled else None
    if engine is not None:
        engine.start()
    try:
        knowledge, seconds = load(settings, source)
        runtime = Runtime(settings, knowledge, engine, seconds)
        app.state.runtime = runtime
        log.info("Stafet klar: %s (%.1f s)", source.describe(), seconds)
        yield
    finally:
        if engine is not None:
            await engine.close()


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
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_middleware(app, settings)
    app.include_router(pages_router)  # first: /id/task/… and /id/unit/… pages for browsers
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = partial(build_openapi, app)  # type: ignore[method-assign]
    return app
