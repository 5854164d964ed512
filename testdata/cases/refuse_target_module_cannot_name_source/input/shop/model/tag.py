from sqlalchemy import Column, ForeignKey, Table, types
from sqlalchemy.orm import relation

from shop.model import meta

tag_table = Table(
    "tag",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("name", types.UnicodeText),
)
package_tag_table = Table(
    "package_tag",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("tag_id", types.Integer, ForeignKey("tag.id")),
    Column("package_id", types.Integer, ForeignKey("package.id")),
)


class Tag(object):
    def packages(self):
        return [package_tag.package for package_tag in self.package_tags]


class PackageTag(object):
    pass


meta.mapper(Tag, tag_table, properties={
    'package_tags': relation(PackageTag, backref='tag',
        cascade='all, delete, delete-orphan',
        ),
    },
    order_by=tag_table.c.name,
    )

# PackageTag is mapped in package.py, which imports this module.
