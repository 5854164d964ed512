from app.models import post, user  # noqa: F401  (register mappers)
