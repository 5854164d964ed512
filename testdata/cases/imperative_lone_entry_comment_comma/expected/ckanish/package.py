from sqlalchemy import Column, ForeignKey, Integer, Table, UnicodeText, orm

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
extra_table = Table(
    "package_extra",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", ForeignKey("package.id")),
)


class Package(object):
    pass


class PackageTag(object):
    pass


class PackageExtra(object):
    pass


meta.mapper(Package, package_table, properties={
    'package_tags':orm.relation(PackageTag, back_populates='package',
        cascade='all, delete',
        )  # see #123, #456
    },
    batch=True,
    )

meta.mapper(PackageTag, tag_table, properties={
    'pkg':orm.relation(Package,
        cascade='none',
        ),  # no backref here, deliberately
    "package": orm.relationship(Package, back_populates="package_tags"),
    },
    batch=True,
    )
