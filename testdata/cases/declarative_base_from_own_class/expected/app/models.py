from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship


class Base:
    def describe(self):
        return type(self).__name__


Base = declarative_base(cls=Base)


class Related(Base):
    __tablename__ = "related"
    id = Column(Integer, primary_key=True)
    mapped = relationship("MyMappedClass", back_populates="related")


class MyMappedClass(Base):
    __tablename__ = "mytable"
    id = Column(Integer, primary_key=True)
    related_id = Column(Integer, ForeignKey("related.id"))
    related = relationship("Related", back_populates="mapped")
