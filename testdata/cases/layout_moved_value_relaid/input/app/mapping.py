from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import backref, registry, relationship
from sqlalchemy.orm.collections import attribute_mapped_collection

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

packages = Table(
    "packages", metadata, Column("id_of_the_pkg_x", Integer, primary_key=True)
)
package_extras = Table(
    "package_extras",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", ForeignKey("packages.id_of_the_pkg_x")),
    Column("key", String),
)


class Package:
    pass


class PackageExtra:
    pass


mapper_registry.map_imperatively(Package, packages)
mapper_registry.map_imperatively(
    PackageExtra,
    package_extras,
    properties={
        "package": relationship(
            Package,
            primaryjoin=(package_extras.c.package_id == packages.c.id_of_the_pkg_x),
            backref=backref(
                "_extras",
                collection_class=attribute_mapped_collection(
                    "key_of_the_package_extra_x"
                ),
            ),
        )
    },
)
