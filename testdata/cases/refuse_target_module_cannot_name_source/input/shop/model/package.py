from sqlalchemy import Column, Table, orm, types

from shop.model import meta

package_table = Table(
    "package",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("name", types.UnicodeText),
)


class Package(object):
    def add_tag(self, tag):
        for existing in self.get_tags():
            if existing is tag:
                return
        self.package_tags.append(tag)

    def get_tags(self):
        tag = None
        return [pt.tag for pt in self.package_tags if pt.tag is not tag]


# Imported here, after Package exists: tag.py and this module import each other.
from shop.model.tag import PackageTag, package_tag_table  # noqa: E402

meta.mapper(Package, package_table, properties={
    'package_tags': orm.relation(PackageTag, backref='package',
        cascade='all, delete',
        ),
    },
    order_by=package_table.c.name,
    )

meta.mapper(PackageTag, package_tag_table, properties={
    'pkg': orm.relation(Package, backref='package_tag_all',
        cascade='none',
        )
    },
    order_by=package_tag_table.c.id,
    )
