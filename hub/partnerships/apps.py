from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "hub.partnerships"
    label = "partnerships"

    def ready(self) -> None:
        from hub.core import search
        from hub.directory.merging import rank_on_merge
        from hub.partnerships import history_rules  # noqa: F401  (what its history shows to whom)
        from hub.partnerships.models import Participant
        from hub.partnerships.search import KIND

        # When a merge makes one organization take part twice, the lead stays the lead.
        rank_on_merge(Participant, "role", [Participant.Role.LEAD])
        search.register(KIND)
