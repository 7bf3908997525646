from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gongkai.operations.health import FAIL, health


@never_cache
@require_safe
def healthz(request):
    """For monitoring: JSON, no secrets, no login; 503 when a check fails (see ``health``)."""
    body = health()
    response = JsonResponse(
        body, status=503 if body["status"] == FAIL else 200, json_dumps_params={"ensure_ascii": False}
    )
    response["X-Content-Type-Options"] = "nosniff"  # answered before SecurityMiddleware would add it
    return response
