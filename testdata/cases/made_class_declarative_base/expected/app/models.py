from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


def audit_table(class_name, table):
    return type(
        class_name,
        (Base,),
        {
            "__tablename__": table,
            "id": mapped_column(Integer, primary_key=True),
            "user_id": mapped_column(ForeignKey("users.id")),
        },
    )


PostAudit = audit_table("PostAudit", "post_audits")
LoginAudit = audit_table(table="login_audits", class_name="LoginAudit")

PostAudit.user = relationship("User", back_populates="post_audits")
User.post_audits = relationship(PostAudit, back_populates="user", lazy="dynamic")
LoginAudit.user = relationship(User, back_populates="logins")
User.logins = relationship(
    LoginAudit, back_populates="user", cascade="all, delete-orphan"
)
