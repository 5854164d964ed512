ROLES = {}


async def with_roles(obj, read=(), write=()):
    """Record who may read and write an attribute; return it unchanged."""
    ROLES[id(obj)] = (set(read), set(write))
    return obj
