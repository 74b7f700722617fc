"""Resolvers for the routing test (registered by dotted path)."""


def nobody(unit, item, received_by):
    return None


def second_clerk(unit, item, received_by):
    from jiceng.accounts.models import User

    return User.objects.get(username="w_clerk2")
