from sqlalchemy import Column, ForeignKey, Integer, Table, UnicodeText, orm
from sqlalchemy.orm import class_mapper

from ckanish import meta

package_table = Table(
    "package",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", UnicodeText),
)
tag_table = Table(
    "package_tag",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", ForeignKey("package.id")),
)


class Package(object):
    pass


class PackageTag(object):
    pass


meta.mapper(Package, package_table, properties={
    'package_tags':orm.relation(PackageTag, back_populates='package',
        cascade='all, delete', #, delete-orphan',
        ),
    },
    batch=True,
    )

meta.mapper(PackageTag, tag_table, properties={
    'pkg':orm.relation(Package, back_populates='package_tag_all',
        cascade='none',
        ),
    "package": orm.relationship(Package, back_populates="package_tags"),
    },
    batch=True,
    )
class_mapper(Package, configure=False).add_property(
    "package_tag_all", orm.relationship(PackageTag, back_populates="pkg")
)
