from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class A(Base):
    __tablename__ = "a"

    id = Column(Integer, primary_key=True)
    cs = relationship("C", secondary="b", backref="as")
    ds = relationship("D", back_populates="a")


class B(Base):
    __tablename__ = "b"

    a_id = Column(ForeignKey("a.id"), primary_key=True)
    c_id = Column(ForeignKey("c.id"), primary_key=True)


class C(Base):
    __tablename__ = "c"

    id = Column(Integer, primary_key=True)


class D(Base):
    __tablename__ = "d"

    id = Column(Integer, primary_key=True)
    a_id = Column(ForeignKey("a.id"))
    a = relationship("A", back_populates="ds")
