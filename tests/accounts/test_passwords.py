"""Password hashing and the password rules (等保三级: at least 8 characters, 3 of 4 character classes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from jiceng import settings as project_settings
from jiceng.accounts.passwords import character_classes


def test_argon2_is_the_hasher_production_uses():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_new_account_is_hashed_with_argon2():
    from jiceng.accounts import services

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = services.user_create(actor=None, username="hashme", full_name="x", password="Correct#Horse9")
        assert identify_hasher(user.password).algorithm == "argon2"
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("Correct#Horse9")
        assert not user.check_password("correct#horse9")
        assert check_password("Correct#Horse9", make_password("Correct#Horse9"))


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!xyz",  # 7 characters: one short of the minimum, although 4 classes
        "abcdefghij",  # lower case only
        "abcdefgh12",  # two classes: lower case and digits
        "ABCDEFGH!!",  # two classes: upper case and symbols
        "12345678",  # digits only (and common)
        "Password",  # two classes (and common)
        "Password1",  # three classes but one of the most common passwords
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    [
        "Qz7#Qz7#",  # exactly 8 characters, four classes
        "qzwxvk7#",  # lower case, digit, symbol
        "QZWXvkpl7",  # upper case, lower case, digit
        "QZWX#vkpl",  # upper case, lower case, symbol
        "QZWX7#QZ",  # upper case, digit, symbol
        "基层所Qz7wxvk",  # CJK characters do not count as a class, the others make three
    ],
)
def test_passwords_mixing_three_classes_are_accepted(password):
    validate_password(password)


def test_the_rule_message_says_what_to_mix():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefgh12xyz")
    assert any(error.code == "password_too_simple" for error in excinfo.value.error_list)


def test_character_classes_are_counted_one_each():
    assert character_classes("") == 0
    assert character_classes("aaa") == 1
    assert character_classes("aA") == 2
    assert character_classes("aA1") == 3
    assert character_classes("aA1 ") == 4


@pytest.mark.django_db
def test_an_account_with_a_weak_password_is_not_created_at_all():
    from jiceng.accounts import services
    from jiceng.accounts.models import User
    from jiceng.core.models import AuditEvent

    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="weak", full_name="x", password="abcdefgh")
    assert not User.objects.filter(username="weak").exists()
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_password_resembling_the_user_name_is_refused():
    from jiceng.accounts import services

    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="zhangwei88", full_name="x", password="Zhangwei88")
