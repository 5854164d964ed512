from app.base import Base


def make_model(name, namespace):
    """A mapped class made from a namespace, as the schema loader does."""
    return type(name, (Base,), namespace)
