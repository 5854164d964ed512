from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import class_mapper, registry, relationship
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
            back_populates="_extras",
        )
    },
)
class_mapper(Package, configure=False).add_property(
    "_extras",
    relationship(
        PackageExtra,
        back_populates="package",
        primaryjoin=(package_extras.c.package_id == packages.c.id_of_the_pkg_x),
        collection_class=attribute_mapped_collection("key_of_the_package_extra_x"),
    ),
)
