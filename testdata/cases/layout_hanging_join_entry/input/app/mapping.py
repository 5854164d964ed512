from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import backref, registry, relationship

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

products_table = Table(
    "products", metadata, Column("product_id", Integer, primary_key=True)
)
specification_table = Table(
    "specification",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("leader_id", ForeignKey("products.product_id")),
    Column("quantity", Integer),
)


class Product:
    pass


class SpecLine:
    pass


def setup_mappers():
    mapper_registry.map_imperatively(
        SpecLine,
        specification_table,
        properties=dict(
            leader=relationship(
                Product,
                lazy="joined",
                uselist=False,
                foreign_keys=[specification_table.c.leader_id],
                primaryjoin=specification_table.c.leader_id
                == products_table.c.product_id,
                backref=backref("specification"),
            ),
            quantity=specification_table.c.quantity,
        ),
    )
    mapper_registry.map_imperatively(
        Product,
        products_table,
        properties={
            "code": products_table.c.product_id,
        },
    )
