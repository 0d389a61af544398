"""``aatd-kg serve``: load a release into the embedded store and serve it over HTTP.

Every option can also come from the environment (``AATD_KG_HOST``, ``AATD_KG_PORT``,
``AATD_KG_RELEASE``, ``AATD_KG_PUBLIC_BASE``, ``AATD_KG_BASE_IRI``, ``AATD_KG_QUERY_TIMEOUT``,
``AATD_KG_QUERY_WORKERS`` …); a flag given on the command line wins.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aatd_kg.prefixes import DEFAULT_BASE
from aatd_kg.settings import Settings
from aatd_kg.store.base import ReleaseNotFound, StoreError

HELP = "Serve a release: SPARQL endpoint, dereferenceable IRIs, pages and downloads."

log = logging.getLogger("aatd_kg.serve")

#: CLI option → Settings field.
_FIELDS = {
    "host": "host",
    "port": "port",
    "release": "release",
    "public_base": "public_base",
    "base_iri": "base_iri",
    "query_timeout": "query_timeout",
    "workers": "query_workers",
    "max_results": "max_results",
    "store_dir": "store_dir",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``aatd-kg serve`` (defaults come from Settings / environment)."""
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    parser.add_argument("--release", type=Path, metavar="DIR",
                        help="release directory made by `aatd-kg build` (default dist/)")
    parser.add_argument("--public-base", metavar="URL",
                        help="public base URL of this server (default http://HOST:PORT/)")
    parser.add_argument("--base-iri", metavar="IRI",
                        help=f"base of the data's IRIs (default {DEFAULT_BASE})")
    parser.add_argument("--query-timeout", type=float, metavar="SECONDS",
                        help="stop a query after this many seconds (default 10)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="query worker processes (default 2)")
    parser.add_argument("--max-results", type=int, metavar="N",
                        help="largest answer in rows or triples (default 100000)")
    parser.add_argument("--store-dir", type=Path, metavar="DIR",
                        help="load the release once into an on-disk store there, shared by the "
                        "query workers (for big graphs)")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags given on the command line."""
    overrides: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in _FIELDS.items()
        if getattr(args, option, None) is not None
    }
    return Settings(**overrides)


def run(args: argparse.Namespace) -> int:
    """Load the release, then serve it with uvicorn until interrupted."""
    import uvicorn

    from aatd_kg.store.oxigraph import OxigraphStore, build_disk_store
    from aatd_kg.web.app import create_app

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = settings_from(args)
    except ValidationError as exc:
        print(f"aatd-kg serve: invalid setting:\n{exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        disk = (build_disk_store(settings.release, settings.store_dir)
                if settings.store_dir is not None else None)
        store = OxigraphStore.from_release(
            settings.release,
            on_disk_store=disk,
            workers=settings.query_workers,
            max_results=settings.max_results,
            timeout=settings.query_timeout,
            service_allowlist=settings.service_allowlist,
        )
    except ReleaseNotFound as exc:
        print(f"aatd-kg serve: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"aatd-kg serve: could not open the release: {exc}", file=sys.stderr)
        return 1
    try:
        log.info(
            "loaded release %s (%d triples) from %s in %.2f s with %d query worker(s)",
            store.version, store.triple_count, settings.release, time.monotonic() - started,
            settings.query_workers,
        )
        release_base = getattr(store, "release_info", {}).get("base_iri")
        if release_base and release_base != settings.base_iri:
            log.warning("the release was built with base %s but --base-iri/AATD_KG_BASE_IRI is "
                        "%s: entity IRIs will not resolve; rebuild or drop the option",
                        release_base, settings.base_iri)
        log.info("serving on http://%s:%d/ (public base %s, data base %s)",
                 settings.host, settings.port, settings.served_base, settings.base_iri)
        app = create_app(settings, store)
        uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level,
                    proxy_headers=True)
    finally:
        store.close()
    return 0
