from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import backref, mapper, relation

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
    dataset=relation(model.Dataset, backref="hashes"))

simple_mapping(model.JobMetric, job=relation(model.Job, backref=backref("metrics", lazy="dynamic")))

simple_mapping(
    model.Tag,
    children=relation(model.Tag, backref=backref("parent", remote_side=[model.Tag.table.c.id])),
)

simple_mapping(model.LibraryFolder,
    library=relation(model.Library,
        backref=backref("folders", order_by=model.LibraryFolder.table.c.id)))

map_table(model.PageRevision, dict(page=relation(model.Page, backref="revisions")))

map_table(model.WorkflowStep, {"workflow": relation(model.Workflow, backref="steps")})

simple_mapping(model.Dataset)

mapper(model.Job, model.Job.table)

simple_mapping(model.Library)

map_table(model.Page, {})

map_table(model.Workflow, dict())
