import sqlalchemy as sa
from sqlalchemy.orm import registry, relationship, remote

mapper_registry = registry()
metadata = sa.MetaData()
employee_t = sa.Table(
    "employee_t",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("emp_id", sa.Integer, primary_key=True),
    sa.Column("reports_to_id", sa.Integer),
    sa.ForeignKeyConstraint(
        ["company_id", "reports_to_id"], ["employee_t.company_id", "employee_t.emp_id"]
    ),
)


class Employee:
    pass


mapper_registry.map_imperatively(
    Employee,
    employee_t,
    properties={
        "reports_to": relationship(
            Employee,
            primaryjoin=sa.and_(
                remote(employee_t.c.emp_id)
                == employee_t.c.reports_to_id,
                remote(employee_t.c.company_id)
                == employee_t.c.company_id,
            ),
            back_populates="employees",
        ),
        "employees": relationship(
            Employee,
            back_populates="reports_to",
            primaryjoin=sa.and_(
                employee_t.c.emp_id == remote(employee_t.c.reports_to_id),
                employee_t.c.company_id == remote(employee_t.c.company_id),
            ),
        ),
    },
)
