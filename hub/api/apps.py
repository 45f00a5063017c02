from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hub.api"
    label = "api"

    def ready(self) -> None:
        from hub.api import opendata
        from hub.core import privacy

        if opendata.withdraw not in privacy.PUBLISHED:
            privacy.PUBLISHED.append(opendata.withdraw)
