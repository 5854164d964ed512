ROLES = {}


def with_roles(obj, read=(), write=()):
    """Record who may read and write an attribute; return it unchanged."""
    ROLES[id(obj)] = (set(read), set(write))
    if not read and not write:
        return obj
    return obj
