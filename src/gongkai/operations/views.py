from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gongkai.operations.health import FAIL, health


@never_cache
@require_safe
def healthz(request):
    """For monitoring: JSON, no secrets, no login; 503 when a check fails (see ``health``)."""
    body = health()
    return JsonResponse(body, status=503 if body["status"] == FAIL else 200, json_dumps_params={"ensure_ascii": False})
