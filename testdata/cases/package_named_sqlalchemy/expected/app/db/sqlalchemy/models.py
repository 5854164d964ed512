from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Volume(Base):
    __tablename__ = "volumes"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    snapshots = relationship("Snapshot", back_populates="volume")


class Snapshot(Base):
    __tablename__ = "snapshots"
    id = Column(Integer, primary_key=True)
    volume_id = Column(Integer, ForeignKey("volumes.id"))
    volume = relationship("Volume", back_populates="snapshots")
