import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy_utils import auto_delete_orphans

from blog.util import remember_backref_names

Base = declarative_base()

entry_tags = sa.Table(
    "entry_tags",
    Base.metadata,
    sa.Column("entry_id", sa.ForeignKey("entry.id"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id"), primary_key=True),
)


class Author(Base):
    __tablename__ = "author"

    id = sa.Column(sa.Integer, primary_key=True)
    entries = relationship("Entry", back_populates="author")
    comments = relationship("Comment", back_populates="author")


class Entry(Base):
    __tablename__ = "entry"

    id = sa.Column(sa.Integer, primary_key=True)
    author_id = sa.Column(sa.ForeignKey("author.id"))
    author = relationship(Author, back_populates="entries")
    tags = relationship("Tag", secondary=entry_tags, backref="entries")


class Comment(Base):
    __tablename__ = "comment"

    id = sa.Column(sa.Integer, primary_key=True)
    entry_id = sa.Column(sa.ForeignKey("entry.id"))
    entry = relationship(Entry, backref="comments")
    author_id = sa.Column(sa.ForeignKey("author.id"))
    author = relationship(Author, back_populates="comments")


class Tag(Base):
    __tablename__ = "tag"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50))


remember_backref_names(Comment, "entry")
# Tags that no entry uses any more are deleted at flush.
auto_delete_orphans(Entry.tags)
