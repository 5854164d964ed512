from typing import Optional

from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class DataclassBase(MappedAsDataclass, DeclarativeBase):
    pass


class Team(DataclassBase):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)


class Member(DataclassBase):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), default=None)
    team = relationship("Team", backref="members", default=None)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    author = relationship("User", backref="posts")
