ROLES = {}


def with_roles(obj, read=(), write=()):
    match write:
        case ():
            pass
        case obj:
            pass
    ROLES[id(obj)] = (set(read), set(write))
    return obj
