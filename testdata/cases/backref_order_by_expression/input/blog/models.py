"""Users, their posts and their comments."""
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, desc
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    # When the account was registered.
    created_at = Column(DateTime, default=datetime.utcnow)

    def latest_post(self):
        """Newest post, or None; `posts` is ordered newest first."""
        return self.posts[0] if self.posts else None


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow, index=True)
    user_id = Column(Integer, ForeignKey("users.id"))

    # The profile page lists a user's posts newest first.
    author = relationship("User", backref=backref("posts", order_by=created_at.desc()))


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    user_id = Column(Integer, ForeignKey("users.id"))

    user = relationship(
        "User",
        backref=backref("comments", order_by=desc(created_at)),  # newest first
    )

    def is_recent(self, now):
        return (now - self.created_at).days < 7
