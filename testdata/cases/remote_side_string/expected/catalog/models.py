"""Product categories arranged in a tree."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Category(Base):
    """A node of the category tree; root categories have no parent."""

    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    parent_id = Column(Integer, ForeignKey("categories.id"), nullable=True)

    # Direct sub-categories, alphabetically.
    children = relationship(
        "Category",
        order_by="Category.name",
        back_populates="parent",
    )
    parent = relationship(
        "Category", back_populates="children", remote_side="Category.id"
    )

    def path(self):
        """Names from the root down to this category."""
        node, names = self, []
        while node is not None:
            names.append(node.name)
            node = node.parent
        return list(reversed(names))

    def is_leaf(self):
        return not self.children
