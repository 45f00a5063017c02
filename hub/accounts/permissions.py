"""Deprecated: who may do what is asked of QuerySet methods (`Organization.objects.editable_by`,
`.member_of`, `.managed_by` in hub/directory/models.py and each entity's `visible_to` /
`editable_by`). Only a wrapper that hub/funding still calls is left here."""


def can_edit_for(user, organization) -> bool:
    """Deprecated: ask `Organization.objects.editable_by(user).filter(pk=...).exists()`."""
    # TODO(issue 13 merge): hub/funding still calls this; delete the module once H1/H2 are merged.
    # The QuerySet is reached through the instance: accounts does not import directory.
    return type(organization).objects.editable_by(user).filter(pk=organization.pk).exists()
