"""A cookbook: recipes, their steps and ingredients."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import backref, relation, sessionmaker

Base = declarative_base()

recipe_ingredients = Table(
    "recipe_ingredients",
    Base.metadata,
    Column("recipe_id", Integer, ForeignKey("recipes.id")),
    Column("ingredient_id", Integer, ForeignKey("ingredients.id")),
)


class Recipe(Base):
    __tablename__ = "recipes"
    id = Column(Integer, primary_key=True)
    title = Column(String(100))

    ingredients = relation(
        "Ingredient", secondary=recipe_ingredients, backref="recipes"
    )


class Step(Base):
    __tablename__ = "steps"
    id = Column(Integer, primary_key=True)
    recipe_id = Column(Integer, ForeignKey("recipes.id"))
    position = Column(Integer)
    text = Column(String(500))

    recipe = relation(
        Recipe, backref=backref("steps", order_by=position, cascade="all, delete-orphan")
    )


class Ingredient(Base):
    __tablename__ = "ingredients"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


if __name__ == "__main__":
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    session = sessionmaker(bind=engine)()
    soup = Recipe(title="Soup", ingredients=[Ingredient(name="leek")])
    soup.steps.append(Step(position=1, text="Chop the leek."))
    session.add(soup)
    session.commit()
