class Dataset:
    pass


class DatasetHash:
    pass


class Job:
    pass


class JobMetric:
    pass


class Tag:
    pass


class Library:
    pass


class LibraryFolder:
    pass


class Page:
    pass


class PageRevision:
    pass


class Workflow:
    pass


class WorkflowStep:
    pass
