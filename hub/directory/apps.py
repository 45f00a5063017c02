from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hub.directory"
    label = "directory"

    def ready(self) -> None:
        from hub.core import figcache, search
        from hub.directory import search as directory_search
        from hub.directory.models import Organization

        # the figure cache varies by the organizations a viewer belongs to, asked the one way
        figcache.read_memberships_with(
            lambda user: Organization.objects.member_of(user).values_list("pk", flat=True)
        )
        search.register(directory_search.KIND)
        search.name_organizations_with(directory_search.names)
