"""Blog models: authors own their posts."""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)

    posts = relationship(
        "Post",
        cascade="all, delete-orphan",
        order_by="Post.id.desc()",
        back_populates="author",
    )

    def post_count(self):
        return len(self.posts)


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    body = Column(Text)
    # Owning user; posts are deleted together with their author.
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False)
    author = relationship("User", back_populates="posts", lazy="joined")
