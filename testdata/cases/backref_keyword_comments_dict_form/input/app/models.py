from sqlalchemy import Boolean, Column, ForeignKey, Integer
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    deleted = Column(Boolean, default=False)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(
        "User",
        backref=(  # tuple form
            "posts",  # name
            {  # opts
                "order_by": "Post.id",  # c2
                # c3
                "cascade": "all, delete-orphan",  # c4
            },
        ),
    )
