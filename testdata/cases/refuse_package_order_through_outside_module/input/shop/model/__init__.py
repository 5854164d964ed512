from shop import hooks  # noqa: F401
from shop.model import user, rating  # noqa: F401
