from sqlalchemy import Column, ForeignKey, Integer

from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)


class Other(Base):
    __tablename__ = "others"

    id = Column(Integer, primary_key=True)


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("posts.id"))
