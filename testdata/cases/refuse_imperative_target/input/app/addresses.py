from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import registry, relationship

from app.domain import Address, Note, Tag, User

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

addresses_table = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
    Column("tag_id", ForeignKey("tags.id")),
    Column("email", String(120)),
)

tags_table = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
)

notes_table = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address_id", ForeignKey("addresses.id")),
)

TAG_PROPERTIES = {}

mapper_registry.map_imperatively(Tag, tags_table, properties=TAG_PROPERTIES)

mapper_registry.map_imperatively(
    Address,
    addresses_table,
    properties={
        "user": relationship(User, backref="addresses"),
        "tag": relationship(Tag, backref="addresses"),
    },
)

mapper_registry.map_imperatively(
    Note,
    notes_table,
    properties={"address": relationship(Address, backref="notes")},
)
