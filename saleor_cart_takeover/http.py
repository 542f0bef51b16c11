"""Routes requests under /plugins/global/saleor.cart_takeover/."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from .config import TakeoverSettings


def dispatch(
    request: HttpRequest, path: str | None, settings: TakeoverSettings
) -> HttpResponse:
    route = (path or "/").rstrip("/") or "/"
    if route == "/graphql":
        from .graphql.views import graphql_view

        return graphql_view(request, settings)
    # The dashboard app: /manifest, /token and the pages under /dashboard/.
    from .dashboard.views import dispatch as dashboard_dispatch

    response = dashboard_dispatch(request, route)
    if response is not None:
        return response
    return HttpResponseNotFound("Not found.")
