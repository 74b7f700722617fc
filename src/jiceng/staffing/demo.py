"""The staffing demo (filled in below)."""


def loaded() -> bool:
    from .models import WindowPost

    return WindowPost.objects.exists()


def build():
    return None
