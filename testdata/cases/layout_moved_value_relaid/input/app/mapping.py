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


class Shelf:
    pass


class Book:
    pass


shelves = Table("shelves", metadata, Column("id", Integer, primary_key=True))
books = Table(
    "books",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shelf_id_in_the_library_of_the_old_town", ForeignKey("shelves.id")),
)
mapper_registry.map_imperatively(Shelf, shelves)
mapper_registry.map_imperatively(
    Book,
    books,
    properties={
        "shelf": relationship(
            Shelf,
            primaryjoin=(
                books.c.shelf_id_in_the_library_of_the_old_town == shelves.c.id
            ),
            backref="books",
        )
    },
)
