from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy import Table as DBTable
from sqlalchemy.orm import relationship

from app.base import Base
from app.other import Comment

tag_links = DBTable(
    "tag_links",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Link(Base):
    __tablename__ = "post_links"

    post_id = Column(ForeignKey("posts.id"), primary_key=True)
    other_id = Column(ForeignKey("others.id"), primary_key=True)


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    tags = relationship("Tag", secondary=tag_links, back_populates="posts")
    others = relationship("Other", secondary=Link.__table__, back_populates="posts")
    comments = relationship(
        Comment, foreign_keys=[Comment.post_id], back_populates="post"
    )
