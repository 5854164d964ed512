from app import models, tags  # noqa
