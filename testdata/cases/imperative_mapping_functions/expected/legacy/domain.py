class User:
    pass


class History:
    pass


class Tag:
    pass


class HistoryTagAssociation:
    pass


class HistoryAnnotation:
    pass


class Page:
    pass


class PageTagAssociation:
    pass
