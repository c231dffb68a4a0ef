"""ติดตามการส่งรายงาน: the submission-monitoring view inside the Airflow UI.

A FastAPI app mounted by Airflow's API server at ``/itaflow`` (``fastapi_apps``)
and a top-level nav entry that shows it in the UI (``external_views``, Airflow
3.1+). Everything it shows comes from ``itaflow.monitor``; this file only wires
HTTP to it. Every endpoint is a GET and reads; the warehouse calls block, so the
endpoints are plain ``def`` (FastAPI runs them in its thread pool).

- ``/itaflow/``: the page (query ``fy``, ``round``, ``province``, ``state``,
  ``district``, ``q``); works without JavaScript, no external assets;
- ``/itaflow/api/round``: the same view as JSON, for the office's own tools;
- ``/itaflow/matrix``: LAOs (grouped by district) × rounds, one coloured cell per
  state, with filters; ``/itaflow/api/matrix`` the same as JSON;
- ``/itaflow/lao/<lao_code>``: every version an LAO sent (superseded ones with when
  and why), each version's findings; ``/itaflow/api/lao/<lao_code>`` as JSON;
- ``/itaflow/files/<sha256>``: the original file exactly as received, found by its
  hash only (never a path from the request);
- ``/itaflow/reports/<name>``: a compiled report (``ita-*.html|pdf|xlsx``), only
  names that the reports folder lists;
- ``/itaflow/static/sarabun-regular.ttf`` / ``-bold.ttf``: the Thai font (from the
  ``fontpkg-sarabun`` package), so Thai renders on machines without Thai fonts.

Plugin apps are not behind Airflow's login by default; ``create_app`` puts every
endpoint behind the same check as Airflow's own API (JWT from the UI's cookie or
a bearer token: none → 401) and then asks Airflow's auth manager whether the user
may see this view (``is_authorized_custom_view(method="GET",
resource_name=RESOURCE_NAME)``: no → 403), so an auth manager with roles (FAB,
Keycloak, the simple auth manager's roles) decides who sees LAO data. Airflow's
security module is imported at the first request, not when the scheduler or a
worker loads plugins.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from itaflow import monitor, settings
from itaflow.compile.templates import render

log = logging.getLogger(__name__)

NAV_NAME = "ติดตามการส่งรายงาน"
URL_PREFIX = "/itaflow"
RESOURCE_NAME = "itaflow_monitor"  # the custom view the auth manager is asked about

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# A compiled HTML report holds submission text: shown sandboxed, never able to run code.
REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    "X-Content-Type-Options": "nosniff",
}
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FONTS = {"sarabun-regular.ttf": "Sarabun-Regular.ttf", "sarabun-bold.ttf": "Sarabun-Bold.ttf"}

_bearer = HTTPBearer(auto_error=False)


async def airflow_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Any:
    """The logged-in Airflow user, checked exactly as Airflow's REST API checks it."""
    from airflow.api_fastapi.core_api.security import get_user

    return await get_user(request, None, credentials)


def auth_manager() -> Any:
    """Airflow's configured auth manager (FAB, simple, Keycloak ...)."""
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager()


def authorised_user(
    user: Annotated[Any, Depends(airflow_user)],
    manager: Annotated[Any, Depends(auth_manager)],
) -> Any:
    """The logged-in user, if the auth manager lets them see this view; else 403."""
    if not manager.is_authorized_custom_view(method="GET", resource_name=RESOURCE_NAME, user=user):
        raise HTTPException(403, "ไม่มีสิทธิ์ดูหน้านี้ / not allowed")
    return user


def _base(request: Request) -> str:
    """The app's own path prefix with a trailing slash (``/itaflow/`` inside Airflow)."""
    return request.scope.get("root_path", "").rstrip("/") + "/"


def _wants_html(request: Request) -> bool:
    return "/api/" not in request.url.path and "text/html" in request.headers.get("accept", "")


def _login_link(request: Request) -> str:
    """A link to Airflow's login page that comes back here (empty when there is none)."""
    try:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        url = auth_manager().get_url_login(next_url=here)
    except Exception:  # no auth manager outside Airflow
        return ""
    return f'<p><a href="{html.escape(url)}">เข้าสู่ระบบ / log in</a></p>'


def _error_page(status: int, message: str, base: str, extra: str = "") -> HTMLResponse:
    body = (
        '<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">'
        f"<title>{html.escape(NAV_NAME)}</title>"
        '<style>body{font-family:"Sarabun","Noto Sans Thai",sans-serif;margin:2rem;}</style>'
        f"</head><body><h1>{html.escape(NAV_NAME)}</h1><p>{html.escape(message)}</p>{extra}"
        f'<p><a href="{html.escape(base)}">กลับไปหน้ารอบล่าสุด</a></p></body></html>'
    )
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)


_STATUS_TH = {
    401: "กรุณาเข้าสู่ระบบ Airflow ก่อน / please log in to Airflow",
    403: "ไม่มีสิทธิ์ดูหน้านี้ / not allowed",
    404: "ไม่พบสิ่งที่ขอ / not found",
    405: "หน้านี้ใช้ดูข้อมูลเท่านั้น / read-only",
}


def create_app(
    load_settings: Callable[[], settings.Settings] = settings.load,
    *,
    require_login: bool = True,
) -> FastAPI:
    """The monitoring app; ``require_login=False`` only for serving it outside Airflow."""
    dependencies = [Depends(authorised_user)] if require_login else []
    app = FastAPI(
        title="itaflow monitor",
        description="ติดตามการส่งรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        dependencies=dependencies,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.exception_handler(monitor.MonitorError)
    def _monitor_error(request: Request, exc: monitor.MonitorError) -> Response:
        if _wants_html(request):
            return _error_page(exc.status, str(exc), _base(request))
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(SQLAlchemyError)
    def _warehouse_down(request: Request, exc: SQLAlchemyError) -> Response:
        log.warning("itaflow monitor: warehouse not readable: %s", exc)
        message = (
            "อ่านคลังข้อมูลไม่ได้ในขณะนี้ (ยังไม่ได้ติดตั้งหรือระบบฐานข้อมูลไม่ตอบ) "
            "โปรดแจ้งผู้ดูแลระบบ / the warehouse cannot be read"
        )
        if _wants_html(request):
            return _error_page(503, message, _base(request))
        return JSONResponse({"detail": message}, status_code=503)

    @app.exception_handler(StarletteHTTPException)
    def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if _wants_html(request):
            message = _STATUS_TH.get(exc.status_code, str(exc.detail))
            extra = _login_link(request) if exc.status_code == 401 else ""
            response = _error_page(exc.status_code, message, _base(request), extra)
            response.headers.update(headers)
            return response
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    def page_and_api(path: str, api: str, template: str, view: Callable[[Request], Any]) -> None:
        """One view served twice: as the page (``template``) and as JSON (``api``)."""

        def page(request: Request) -> HTMLResponse:
            body = render(template, {"v": view(request), "base": _base(request)}, html=True)
            return HTMLResponse(body, headers=PAGE_HEADERS)

        def as_json(request: Request) -> JSONResponse:
            return JSONResponse(view(request), headers={"Cache-Control": "no-store"})

        app.add_api_route(path, page, methods=["GET"], response_class=HTMLResponse)
        app.add_api_route(api, as_json, methods=["GET"])

    page_and_api(
        "/",
        "/api/round",
        "monitor.html.j2",
        lambda r: monitor.monitor_view(load_settings(), r.query_params),
    )
    page_and_api(
        "/matrix",
        "/api/matrix",
        "monitor_matrix.html.j2",
        lambda r: monitor.matrix_view(load_settings(), r.query_params),
    )
    page_and_api(
        "/lao/{lao_code}",
        "/api/lao/{lao_code}",
        "monitor_lao.html.j2",
        lambda r: monitor.lao_view(load_settings(), r.path_params["lao_code"]),
    )

    @app.get("/files/{sha256}")
    def original(sha256: str) -> FileResponse:
        found = monitor.original_download(load_settings(), sha256)
        if found is None:
            raise HTTPException(404, "ไม่พบไฟล์นี้ / no such file")
        path, name = found
        return FileResponse(
            path,
            media_type="application/octet-stream",
            filename=name,
            content_disposition_type="attachment",
            headers={**REPORT_HEADERS, "Cache-Control": "no-store"},
        )

    @app.get("/reports/{name}")
    def report(name: str) -> FileResponse:
        path = monitor.report_file(load_settings().reports_out, name)
        if path is None:
            raise HTTPException(404, "ไม่พบรายงานนี้ / no such report")
        fmt = path.suffix[1:]
        return FileResponse(
            path,
            media_type=MEDIA_TYPES[fmt],
            filename=path.name,
            content_disposition_type="attachment" if fmt == "xlsx" else "inline",
            headers={**REPORT_HEADERS, "Cache-Control": "no-cache"},
        )

    @app.get("/static/{name}")
    def font(name: str) -> FileResponse:
        path = _font_path(name)
        if path is None:
            raise HTTPException(404, "ไม่พบไฟล์ / not found")
        return FileResponse(
            path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"}
        )

    return app


def _font_path(name: str) -> Path | None:
    """A bundled Sarabun face by its fixed public name (never a path from the request)."""
    if name not in FONTS:
        return None
    try:
        import fontpkg_sarabun
    except ImportError:  # the page falls back to the system's Thai fonts
        return None
    path = Path(fontpkg_sarabun.__file__).with_name("files") / FONTS[name]
    return path if path.is_file() else None


app = create_app()


class ItaflowMonitorPlugin(AirflowPlugin):
    """Adds the monitoring page to the Airflow UI's top navigation."""

    name = "itaflow_monitor"
    fastapi_apps = [{"app": app, "url_prefix": URL_PREFIX, "name": NAV_NAME}]
    external_views = [
        {
            "name": NAV_NAME,
            "href": URL_PREFIX.lstrip("/") + "/",  # relative: works under any base_url
            "destination": "nav",
            "url_route": "itaflow-monitor",
            "nav_top_level": True,
        }
    ]
