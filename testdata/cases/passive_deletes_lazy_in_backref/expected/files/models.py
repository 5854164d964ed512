"""Folders and files; the database deletes a folder's files on its own."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Folder(Base):
    __tablename__ = "folders"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    files = relationship(
        "File",
        back_populates="parent",
        lazy="joined",
        passive_deletes=True,
        cascade="all",
    )


class File(Base):
    __tablename__ = "files"

    id = Column(Integer, primary_key=True)
    filename = Column(String(255), nullable=False)
    size = Column(Integer, default=0)
    folder_id = Column(Integer, ForeignKey("folders.id", ondelete="CASCADE"), nullable=False)

    parent = relationship(
        "Folder",
        lazy="selectin",
        back_populates="files",
    )

    def extension(self):
        _, _, ext = self.filename.rpartition(".")
        return ext.lower()
