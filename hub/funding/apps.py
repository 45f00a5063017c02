from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "hub.funding"
    label = "funding"
