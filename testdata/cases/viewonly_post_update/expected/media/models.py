"""Albums, photos and their owners."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Owner(Base):
    __tablename__ = "owners"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    # Natural key that may be renamed; children are updated by the ORM.
    handle = Column(String(40), unique=True, nullable=False)

    albums = relationship("Album", passive_updates=False, back_populates="owner")


class Album(Base):
    __tablename__ = "albums"

    id = Column(Integer, primary_key=True)
    title = Column(String(120))
    owner_handle = Column(String(40), ForeignKey("owners.handle"))
    cover_photo_id = Column(Integer, ForeignKey("photos.id", use_alter=True))

    # Album -> Photo -> Album is a cycle; break it with a second UPDATE.
    cover_photo = relationship(
        "Photo",
        foreign_keys=[cover_photo_id],
        post_update=True,
        back_populates="covered_albums",
    )
    # Read-only listing; writes go through Photo.album.
    photos_readonly = relationship(
        "Photo",
        primaryjoin="Album.id == Photo.album_id",
        viewonly=True,
        back_populates="album_readonly",
    )
    owner = relationship(
        "Owner", back_populates="albums", passive_updates=False, lazy="joined"
    )


class Photo(Base):
    __tablename__ = "photos"

    id = Column(Integer, primary_key=True)
    filename = Column(String(200), nullable=False)
    album_id = Column(Integer, ForeignKey("albums.id"))

    album = relationship("Album", foreign_keys=[album_id])
    covered_albums = relationship(
        "Album",
        back_populates="cover_photo",
        foreign_keys="[Album.cover_photo_id]",
        post_update=True,
    )
    album_readonly = relationship(
        "Album",
        back_populates="photos_readonly",
        primaryjoin="Album.id == Photo.album_id",
        viewonly=True,
    )
