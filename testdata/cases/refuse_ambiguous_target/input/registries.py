"""Each service gets its own declarative base from this factory."""
from sqlalchemy.orm import declarative_base

_bases = {}


def base_for(service):
    if service not in _bases:
        _bases[service] = declarative_base()
    return _bases[service]
