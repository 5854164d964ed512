from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import class_mapper, column_property, mapper, relation

metadata = MetaData()


class Tag:
    pass


class Page:
    pass


class PageTagAssociation:
    pass


Tag.table = Table("tag", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))
Page.table = Table("page", metadata, Column("id", Integer, primary_key=True))
PageTagAssociation.table = Table(
    "page_tag_association",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("page_id", ForeignKey("page.id")),
    Column("tag_id", ForeignKey("tag.id")),
)


def tag_mapping(tag_association_class, backref_name):
    mapper(
        tag_association_class,
        tag_association_class.table,
        properties={"tag": relation(Tag, backref=backref_name)},
    )
    # class_mapper() configures the mappers before the column is added
    class_mapper(tag_association_class).add_property(
        "page_id_copy", column_property(tag_association_class.table.c.page_id)
    )


mapper(Tag, Tag.table)
mapper(Page, Page.table, properties={"tags": relation(PageTagAssociation, backref="page")})
tag_mapping(PageTagAssociation, "tagged_pages")
