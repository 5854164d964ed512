"""Forum models written against the 1.x API."""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, dynamic_loader, relation, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    posts = relation("Post", back_populates="author")
    # There can be a lot of comments; expose them as a query.
    comments = dynamic_loader("Comment", back_populates="commenter")

    def recent_comments(self, limit=10):
        return self.comments.order_by(Comment.id.desc()).limit(limit).all()


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    subject = Column(String(200))
    user_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="posts")


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    text = Column(Text)
    user_id = Column(Integer, ForeignKey("users.id"))
    post_id = Column(Integer, ForeignKey("posts.id"))
    commenter = relationship("User", back_populates="comments")
