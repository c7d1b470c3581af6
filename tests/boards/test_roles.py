"""Roles are groups holding exactly the permissions ``boards.roles`` lists, kept in line."""

from django.contrib.auth.models import Group

from boards.roles import ROLE_PERMISSIONS, Role, sync_role_groups


def test_role_groups_hold_exactly_the_listed_permissions(db):
    for role, names in ROLE_PERMISSIONS.items():
        if role == Role.ADMINISTRATOR:
            continue
        group = Group.objects.get(name=role)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(names)


def test_syncing_roles_undoes_drift(db):
    group = Group.objects.get(name=Role.COUNCILLOR)
    group.permissions.clear()
    sync_role_groups()
    assert group.permissions.filter(codename="read_member_papers").exists()
    administrators = Group.objects.get(name=Role.ADMINISTRATOR)
    assert administrators.permissions.filter(codename="change_user").exists()
    assert administrators.permissions.filter(codename="publish_agendas").exists()
