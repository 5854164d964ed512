from sqlalchemy import Column, Date, ForeignKey, Integer, String
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship

Base = declarative_base()


class Company(Base):
    __tablename__ = "companies"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)

    contacts = relationship(
        "Contact",
        back_populates="company",
        cascade="all, delete-orphan",
    )


class Contact(Base):
    __tablename__ = "contacts"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(60))
    last_name = Column(String(60))
    company_id = Column(Integer, ForeignKey("companies.id"))
    company = relationship("Company", back_populates="contacts", lazy="joined")
    meetings = relationship("Meeting", back_populates="contact")


class Meeting(Base):
    __tablename__ = "meetings"

    id = Column(Integer, primary_key=True)
    held_on = Column(Date)
    contact_id = Column(Integer, ForeignKey("contacts.id"))

    contact = relationship(Contact, back_populates="meetings")

    def full_title(self):
        c = self.contact
        return "%s %s (%s)" % (c.first_name, c.last_name, self.held_on)
