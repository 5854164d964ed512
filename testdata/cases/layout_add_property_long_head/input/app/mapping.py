from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import mapper, relationship

metadata = MetaData()

parents = Table("parents", metadata, Column("id", Integer, primary_key=True))
children = Table(
    "children",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("parents.id")),
)
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("parents.id")),
)
others = Table("others", metadata, Column("id", Integer, primary_key=True))
tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("others.id")),
)


class HistoryDatasetCollectionAssociationAnnotationAssociation(object):
    pass


class HistoryDatasetCollectionAssociationAnnotationAssociationWithAVeryLongName(object):
    pass


class Child(object):
    pass


class Note(object):
    pass


class Tag(object):
    pass


mapper(HistoryDatasetCollectionAssociationAnnotationAssociation, parents)
mapper(
    HistoryDatasetCollectionAssociationAnnotationAssociationWithAVeryLongName,
    others,
)
mapper(
    Child,
    children,
    properties={
        "parent": relationship(
            HistoryDatasetCollectionAssociationAnnotationAssociation,
            backref="children",
        )
    },
)
mapper(
    Note,
    notes,
    properties={
        "parent": relationship(
            HistoryDatasetCollectionAssociationAnnotationAssociation,
            primaryjoin=notes.c.parent_id == parents.c.id,
            backref="notes_attached_to_this_annotation_association",
        )
    },
)
mapper(
    Tag,
    tags,
    properties={
        "parent": relationship(
            HistoryDatasetCollectionAssociationAnnotationAssociationWithAVeryLongName,
            backref="tags",
        )
    },
)
