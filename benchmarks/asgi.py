"""Saleor's ASGI application behind a per-worker limit on requests in flight.

Django serves every ASGI request on a thread of its own, each with its own
database connections (writer and replica). Unbounded, 70 concurrent clients
open well over 100 connections and exhaust PostgreSQL's `max_connections` on a
shared server. A production deployment bounds this with a connection pool or
PgBouncer; here a semaphore does: at most BENCH_MAX_IN_FLIGHT requests per
worker run at once and the rest wait their turn, which is counted in their
latency exactly as a pool's queue would be.
"""

import asyncio
import os
from typing import Any

from saleor.asgi import application as saleor_application

MAX_IN_FLIGHT = int(os.environ.get("BENCH_MAX_IN_FLIGHT", "4"))
_semaphore: asyncio.Semaphore | None = None


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _semaphore
    if scope["type"] != "http":
        await saleor_application(scope, receive, send)
        return
    if _semaphore is None:
        # Created lazily so that it belongs to uvicorn's event loop.
        _semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with _semaphore:
        await saleor_application(scope, receive, send)
