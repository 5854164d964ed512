from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    posts = relationship("Post", back_populates="tags", secondary="tag_links")


class Other(Base):
    __tablename__ = "others"

    id = Column(Integer, primary_key=True)
    posts = relationship("Post", back_populates="others", secondary="post_links")


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("posts.id"))
    post = relationship(
        "Post", back_populates="comments", foreign_keys="[Comment.post_id]"
    )
