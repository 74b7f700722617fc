"""API test helpers: tokens for the named users of tests/conftest.py and a client that sends them."""

from __future__ import annotations

import json

import pytest


class ApiClient:
    """Django's test client speaking JSON with a bearer token (or none)."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, data=None, **extra):
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if method in {"post", "patch", "put"}:
            kwargs["data"] = json.dumps(data if data is not None else {})
            kwargs["content_type"] = "application/json"
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, params=None, **extra):
        return self._send("get", path, params, **extra)

    def post(self, path, data=None, **extra):
        return self._send("post", path, data, **extra)

    def upload(self, path, data, **extra):
        """A multipart/form-data POST (files as (name, bytes) pairs), as `curl -F` sends it."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields = {
            key: SimpleUploadedFile(value[0], value[1]) if isinstance(value, tuple) else value
            for key, value in data.items()
        }
        return self.client.post(path, fields, headers={**self.headers, **extra.pop("headers", {})}, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data, **extra)

    def delete(self, path, params=None, **extra):
        if params:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(params)}"
        return self._send("delete", path, None, **extra)


@pytest.fixture
def token_for():
    """A fresh token (the secret) for a user, created through the service as the pages do."""
    from jiceng.api import services

    def make(user, **kwargs):
        return services.token_create(actor=user, name=kwargs.pop("name", "test"), **kwargs)[1]

    return make


@pytest.fixture
def api_as(client, token_for):
    """An API client acting as `user` (None: no token at all)."""

    def make(user=None):
        return ApiClient(client, token_for(user) if user is not None else None)

    return make


def make_person(unit, **overrides):
    """A staff record written through the service, as the suite's `make_staff` does."""
    from jiceng.org import services

    fields = {"name": "职工", "gender": "m", "education": "bachelor", "employment_type": "on_establishment", "post": "staff"}
    fields.update(overrides)
    return services.staff_create(actor=None, unit=unit, **fields)
