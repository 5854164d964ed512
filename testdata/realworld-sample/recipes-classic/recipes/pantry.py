"""What is in the pantry; runs a small demo when imported, as old scripts do."""
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship, sessionmaker

Base = declarative_base()


class Shelf(Base):
    __tablename__ = "shelves"
    id = Column(Integer, primary_key=True)
    label = Column(String(20))


class Ingredient(Base):
    __tablename__ = "ingredients"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    shelf_id = Column(Integer, ForeignKey("shelves.id"))

    shelf = relationship(Shelf, backref="ingredients")
    # kept as a backref on purpose until the pantry screens are rewritten
    spare_shelf = relationship(Shelf, backref="spares", viewonly=True)  # backpop: ignore


engine = create_engine("sqlite:///pantry.db")
Base.metadata.create_all(engine)
session = sessionmaker(bind=engine)()
session.add(Shelf(label="A1"))
session.commit()
