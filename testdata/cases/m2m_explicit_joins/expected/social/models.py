"""Users following each other."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

followers = Table(
    "followers",
    Base.metadata,
    Column("follower_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("followed_id", Integer, ForeignKey("users.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True)

    # Users this user follows; the reverse lists the users following this one.
    followed = relationship(
        "User",
        secondary=followers,
        primaryjoin=(followers.c.follower_id == id),
        secondaryjoin=(followers.c.followed_id == id),
        back_populates="followers",
    )
    followers = relationship(
        "User",
        back_populates="followed",
        secondary="followers",
        primaryjoin="(followers.c.followed_id == User.id)",
        secondaryjoin="(followers.c.follower_id == User.id)",
        lazy="selectin",
    )

    def follow(self, user):
        if user not in self.followed:
            self.followed.append(user)

    def is_following(self, user):
        return user in self.followed
