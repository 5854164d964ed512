# Outside the model package, imported by it first: it starts one of the
# package's modules itself, so the order inside the package depends on
# which module a program imports first.
from shop.model import rating  # noqa: F401
