from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = relationship("Post", backref="author")
    tags = relationship("Tag", backref="owner")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    author = None
    # The class body reads the placeholder while the class is built.
    default_author = author


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    if True:
        owner = None
