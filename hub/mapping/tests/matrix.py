from django.urls import reverse

from hub.core.testing.matrix import Case, everyone

CASES = {
    "home": Case(lambda w: reverse("home"), everyone(200)),
    "mapping:index": Case(lambda w: reverse("mapping:index"), everyone(200)),
    "mapping:chart": Case(lambda w: reverse("mapping:chart", args=["goals", "svg"]), everyone(200)),
    "mapping:dashboard": Case(lambda w: reverse("mapping:dashboard"), everyone(200)),
    "mapping:dashboard_chart": Case(
        lambda w: reverse("mapping:dashboard_chart", args=["statuses", "csv"]), everyone(200)
    ),
}
