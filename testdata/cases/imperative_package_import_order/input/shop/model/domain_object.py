from shop.model import meta


class DomainObject(object):
    metadata = meta.metadata
