from sqlalchemy import Column, Table, types

from shop.model import meta
from shop.model import domain_object

package_table = Table(
    "package",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("title", types.UnicodeText),
)


class Package(domain_object.DomainObject):
    pass


meta.mapper(Package, package_table, properties={})
