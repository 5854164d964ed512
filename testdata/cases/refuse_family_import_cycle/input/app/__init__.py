from app import post  # noqa: F401
