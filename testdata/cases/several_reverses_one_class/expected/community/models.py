"""Community site: users, their posts, comments and votes."""
from sqlalchemy import Column, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    handle = Column(String(30), unique=True, nullable=False)
    posts = relationship("Post", back_populates="author", order_by="Post.id")
    comments = relationship("Comment", back_populates="author")
    votes = relationship("Vote", back_populates="voter", lazy="selectin")

    def karma(self):
        return sum(v.value for v in self.votes)


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    author_id = Column(Integer, ForeignKey("users.id"))

    author = relationship("User", back_populates="posts")
    comments = relationship("Comment", back_populates="post")


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    text = Column(Text)
    author_id = Column(Integer, ForeignKey("users.id"))
    post_id = Column(Integer, ForeignKey("posts.id"))

    author = relationship("User", back_populates="comments")
    post = relationship("Post", back_populates="comments")


class Vote(Base):
    __tablename__ = "votes"

    id = Column(Integer, primary_key=True)
    value = Column(SmallInteger, nullable=False)
    voter_id = Column(Integer, ForeignKey("users.id"))

    voter = relationship("User", back_populates="votes")
