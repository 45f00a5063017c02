import factory

from hub.directory.models import Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.MUSEUM
    country = "AT"


class AffiliateFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Wikimedia Testland {n}")
    short_code = factory.Sequence(lambda n: f"WMT{n}")
    kind = Organization.Kind.CHAPTER
