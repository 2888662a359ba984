from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def ceiling(request):
    """The least a Django view that stores a report can do: insert one row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ceiling (created_at, body) VALUES (CURRENT_TIMESTAMP, %s)",
            [request.POST.get("description", "")],
        )
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("bench/ceiling", ceiling),
    path("", include("config.urls")),
]
