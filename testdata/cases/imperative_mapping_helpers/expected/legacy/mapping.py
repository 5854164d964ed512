from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import mapper, relation, relationship

from . import domain as model
from .util import map_table

metadata = MetaData()

model.Dataset.table = Table("dataset", metadata, Column("id", Integer, primary_key=True))
model.DatasetHash.table = Table(
    "dataset_hash",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", ForeignKey("dataset.id")),
    Column("hash", String(64)),
)
model.Job.table = Table("job", metadata, Column("id", Integer, primary_key=True))
model.JobMetric.table = Table(
    "job_metric",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", ForeignKey("job.id")),
)
model.Tag.table = Table(
    "tag",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("tag.id")),
)
model.Library.table = Table("library", metadata, Column("id", Integer, primary_key=True))
model.LibraryFolder.table = Table(
    "library_folder",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("library_id", ForeignKey("library.id")),
)
model.Page.table = Table("page", metadata, Column("id", Integer, primary_key=True))
model.PageRevision.table = Table(
    "page_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("page_id", ForeignKey("page.id")),
)
model.Workflow.table = Table("workflow", metadata, Column("id", Integer, primary_key=True))
model.WorkflowStep.table = Table(
    "workflow_step",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workflow_id", ForeignKey("workflow.id")),
)


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


simple_mapping(model.DatasetHash,
    dataset=relation(model.Dataset, back_populates="hashes"))

simple_mapping(model.JobMetric, job=relation(model.Job, back_populates="metrics"))

simple_mapping(
    model.Tag,
    children=relation(model.Tag, back_populates="parent"),
    parent=relationship(
        model.Tag, back_populates="children", remote_side=[model.Tag.table.c.id]
    ),
)

simple_mapping(model.LibraryFolder,
    library=relation(model.Library,
        back_populates="folders"))

map_table(
    model.PageRevision, dict(page=relation(model.Page, back_populates="revisions"))
)

map_table(
    model.WorkflowStep, {"workflow": relation(model.Workflow, back_populates="steps")}
)

simple_mapping(
    model.Dataset, hashes=relationship(model.DatasetHash, back_populates="dataset")
)

mapper(
    model.Job,
    model.Job.table,
    properties={
        "metrics": relationship(model.JobMetric, back_populates="job", lazy="dynamic"),
    },
)

simple_mapping(
    model.Library,
    folders=relationship(
        model.LibraryFolder,
        back_populates="library",
        order_by=model.LibraryFolder.table.c.id,
    ),
)

map_table(
    model.Page, {"revisions": relationship(model.PageRevision, back_populates="page")}
)

map_table(
    model.Workflow,
    dict(steps=relationship(model.WorkflowStep, back_populates="workflow")),
)
