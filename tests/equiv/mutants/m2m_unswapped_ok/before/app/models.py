from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

follows = Table(
    "follows",
    Base.metadata,
    Column("follower_id", ForeignKey("users.id"), primary_key=True),
    Column("followed_id", ForeignKey("users.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    followed = relationship(
        "User",
        secondary=follows,
        primaryjoin="User.id == follows.c.follower_id",
        secondaryjoin="User.id == follows.c.followed_id",
        backref="followers",
    )
