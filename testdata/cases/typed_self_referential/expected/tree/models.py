"""Two self-referential trees, declared from opposite ends."""
from typing import Iterator, List, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Node(Base):
    """Generic tree node; roots have parent_id NULL."""

    __tablename__ = "nodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nodes.id"))
    label: Mapped[str] = mapped_column(String(50))

    children: Mapped[List["Node"]] = relationship(back_populates="parent")
    parent: Mapped[Optional["Node"]] = relationship(
        back_populates="children", remote_side=[id]
    )

    def walk(self) -> Iterator["Node"]:
        """Depth-first, this node first."""
        yield self
        for child in self.children:
            yield from child.walk()


class Folder(Base):
    __tablename__ = "folders"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("folders.id"))
    name: Mapped[str] = mapped_column(String(255))

    # The containing folder; None for a top-level folder.
    parent: Mapped[Optional["Folder"]] = relationship(remote_side=[id], back_populates="subfolders")
    subfolders: Mapped[List["Folder"]] = relationship(back_populates="parent")

    def full_path(self) -> str:
        if self.parent is None:
            return "/" + self.name
        return self.parent.full_path() + "/" + self.name
