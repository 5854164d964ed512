"""User accounts with exactly one profile and one preferences row."""
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)

    # Created together with the account; never shared.
    preferences: Mapped["Preferences"] = relationship(
        back_populates="owner",
    )
    profile: Mapped[Optional["Profile"]] = relationship(
        back_populates="user", uselist=False
    )

    def display_name(self) -> str:
        return self.email.split("@")[0]


class Profile(Base):
    """Public profile; at most one per user."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    bio: Mapped[Optional[str]] = mapped_column(String(500))

    user: Mapped["User"] = relationship(back_populates="profile")

    def has_bio(self) -> bool:
        return bool(self.bio)


class Preferences(Base):
    __tablename__ = "preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    theme: Mapped[str] = mapped_column(String(20), default="light")
    newsletter: Mapped[bool] = mapped_column(default=False)
    owner: Mapped["User"] = relationship(back_populates="preferences", uselist=False)
