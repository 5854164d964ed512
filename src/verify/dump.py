"""Import SQLAlchemy models and dump their mapper configuration canonically.

This script ships inside the backpop binary (``backpop --verify``,
``backpop verify``) and is run by the test suite (tests/equiv/compare.py,
scripts/realworld). It runs under whatever Python and SQLAlchemy the user
has: 1.3 to 2.1, Python 3.7 and later, nothing else imported.

Two ways to run it:

    python dump.py ROOT
        Import every ``*.py`` file under ROOT (ROOT first on sys.path); any
        import or configure error makes the whole document an error.

    python dump.py --request REQUEST.json
        What the request (a JSON object) asks for:
          "path":      directories to put first on sys.path, in order
          "modules":   module names to import, each on its own
          "overlay":   {file: replacement}: import each ``file`` from the
                       text of ``replacement`` (as if it were rewritten),
                       keeping ``__file__`` and tracebacks on ``file``
          "setup":     Python code run before the imports (an app factory)
          "rename":    [[from, to], ...]: paths replaced in every message
          "output":    the file the document is written to
        Each module is imported on its own: one that raises is recorded
        under ``import_errors`` and the others are still imported. A module
        that does not exist at all is recorded under ``absent``.

Then ``configure_mappers()`` runs and every relationship of every mapper of
every registry is written as canonical JSON. Two documents whose
``mappers`` are equal configure the same relationships; the only thing left
out is how a relationship was spelled (``backref=`` versus a
``back_populates`` pair, raw argument forms), which is exactly what a
backref-to-back_populates migration changes. ``locations`` (where each
class and attribute is defined) is for messages, never compared.
"""

import contextlib
import dataclasses
import gc
import importlib
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import re
import sys
import traceback
import warnings

HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


# --------------------------------------------------------------------------
# Discovering and importing the tree
# --------------------------------------------------------------------------


def discover_modules(root):
    """Return (modules, uncompilable, skipped, compiler_warnings) for ``root``.

    ``modules`` is a sorted list of importable module names. A directory with
    ``__init__.py`` is a regular package, one without is a namespace package,
    a file directly under ``root`` is a top-level module.
    ``compiler_warnings`` identifies the warnings that compiling the sources
    emits (e.g. invalid escape sequences): whether they show up again at import
    depends on a bytecode cache, and they say nothing about the models.
    """
    modules = []
    uncompilable = []
    skipped = []
    compiler_warnings = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d != "__pycache__"
        )
        for filename in sorted(filenames):
            if not filename.endswith(".py") or filename.startswith("."):
                continue
            path = os.path.join(dirpath, filename)
            relpath = os.path.relpath(path, root)
            parts = relpath[: -len(".py")].split(os.sep)
            if parts[-1] == "__main__" or not all(p.isidentifier() for p in parts):
                # Not importable by name, or a script that runs on import.
                skipped.append(relpath.replace(os.sep, "/"))
                continue
            if parts[-1] == "__init__":
                parts.pop()
                if not parts:  # ROOT/__init__.py: ROOT itself is not a package
                    skipped.append(relpath.replace(os.sep, "/"))
                    continue
            if not compiles(path, compiler_warnings):
                uncompilable.append(relpath.replace(os.sep, "/"))
                continue
            modules.append(".".join(parts))
    return sorted(set(modules)), sorted(uncompilable), sorted(skipped), compiler_warnings


def warning_identity(w):
    return (w.category, str(w.message), w.filename, w.lineno)


def compiles(path, compiler_warnings):
    with open(path, "rb") as f:
        source = f.read()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compile(source, path, "exec")
        except (SyntaxError, ValueError):
            return False
    compiler_warnings.update(warning_identity(w) for w in caught)
    return True


# --------------------------------------------------------------------------
# Rendering values canonically
# --------------------------------------------------------------------------


def class_name(cls):
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def normalize_text(text, root):
    if root:
        text = text.replace(root, "<ROOT>")
    return HEX_ADDRESS.sub("0x?", text)


def sql(expr):
    """Render a SQL expression without annotations, with literal values."""
    from sqlalchemy.sql.util import _deep_deannotate

    expr = _deep_deannotate(expr)
    try:
        return str(expr.compile(compile_kwargs={"literal_binds": True}))
    except Exception:
        return str(expr)


def and_members(expr):
    """Flatten nested AND clauses into their members."""
    from sqlalchemy.sql import operators
    from sqlalchemy.sql.elements import BooleanClauseList

    if isinstance(expr, BooleanClauseList) and expr.operator is operators.and_:
        members = []
        for clause in expr.clauses:
            members.extend(and_members(clause))
        return members
    return [expr]


def join_condition(expr):
    """A join condition as a sorted list of AND members, ``=`` operands sorted."""
    from sqlalchemy.sql import operators
    from sqlalchemy.sql.elements import BinaryExpression

    if expr is None:
        return None
    members = []
    for member in and_members(expr):
        if isinstance(member, BinaryExpression) and member.operator is operators.eq:
            left, right = sorted([sql(member.left), sql(member.right)])
            members.append("%s = %s" % (left, right))
        else:
            members.append(sql(member))
    return sorted(members)


def columns(cols):
    return sorted(str(c) for c in cols or ())


def pairs(column_pairs):
    return sorted([str(a), str(b)] for a, b in column_pairs or ())


def describe_callable(obj):
    """Name a class or factory (collection_class, query_class)."""
    if obj is None:
        return None
    if isinstance(obj, type):
        desc = class_name(obj)
    elif getattr(obj, "__qualname__", None):
        desc = "%s.%s" % (getattr(obj, "__module__", None), obj.__qualname__)
    else:
        desc = HEX_ADDRESS.sub("0x?", repr(obj))
    # Keyed-dict collections (attribute_keyed_dict("key") and friends) are
    # generated classes or lambdas: describe the key so that two different
    # keys do not look alike.
    if isinstance(obj, type) and obj.__module__ == "builtins":
        return desc
    try:
        instance = obj()
    except Exception:
        return desc
    keyfunc = getattr(instance, "keyfunc", None)
    if keyfunc is None:
        return desc
    built = class_name(type(instance))
    if built != desc:
        desc = "%s -> %s" % (desc, built)
    return "%s(%s)" % (desc, describe_keyfunc(keyfunc))


def describe_keyfunc(keyfunc):
    for attr in ("attr_name", "name", "cols", "colkeys"):
        value = getattr(keyfunc, attr, None)
        if isinstance(value, str):
            return "%s=%r" % (attr, value)
        if value is not None:
            return "%s=%s" % (attr, sorted(str(v) for v in value))
    return HEX_ADDRESS.sub("0x?", repr(keyfunc))


def plain(value):
    """Turn an arbitrary value (e.g. ``info``) into something JSON can hold."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    return HEX_ADDRESS.sub("0x?", repr(value))


# --------------------------------------------------------------------------
# Dumping mappers and relationships
# --------------------------------------------------------------------------

LEGACY_LAZY = {True: "select", False: "joined", None: "noload"}


def all_registries():
    from sqlalchemy.orm import mapperlib

    if hasattr(mapperlib, "_all_registries"):
        return list(mapperlib._all_registries())
    return list(mapperlib._mapper_registries)


def all_mappers():
    from sqlalchemy.orm import mapperlib

    if hasattr(mapperlib, "_mapper_registry"):
        # SQLAlchemy 1.3 has no registries, one weak dict of every mapper.
        return list(mapperlib._mapper_registry)
    seen = set()
    mappers = []
    for reg in all_registries():
        for mapper in reg.mappers:
            if id(mapper) not in seen:
                seen.add(id(mapper))
                mappers.append(mapper)
    return mappers


def mapper_key(mapper):
    key = class_name(mapper.class_)
    if getattr(mapper, "non_primary", False):
        key += " (non-primary)"
    return key


def dump_relationship(prop):
    lazy = prop.lazy
    if not isinstance(lazy, str):
        lazy = LEGACY_LAZY.get(lazy, lazy)
    collection_class = prop.collection_class
    if collection_class is None and prop.uselist:
        collection_class = list
    if hasattr(prop, "_effective_sync_backref"):
        sync_backref = prop._effective_sync_backref
    else:
        sync_backref = prop.sync_backref is not False and not prop.viewonly
    order_by = prop.order_by
    if order_by is not False and order_by is not None:
        # Kept in the given order: the order of ORDER BY terms matters.
        order_by = [sql(o) for o in order_by]
    secondary = prop.secondary
    if secondary is not None:
        secondary = getattr(secondary, "fullname", None) or str(secondary)
    reverse = sorted(
        "%s.%s" % (class_name(p.parent.class_), p.key) for p in prop._reverse_property
    )
    dumped = {
        "owner": class_name(prop.parent.class_),
        "key": prop.key,
        "target": class_name(prop.mapper.class_),
        "direction": prop.direction.name,
        "uselist": prop.uselist,
        "collection_class": describe_callable(collection_class),
        "lazy": lazy,
        "cascade": sorted(prop.cascade),
        "viewonly": prop.viewonly,
        "sync_backref": sync_backref,
        "post_update": prop.post_update,
        "passive_updates": prop.passive_updates,
        "passive_deletes": prop.passive_deletes,
        "single_parent": prop.single_parent,
        "innerjoin": prop.innerjoin,
        "join_depth": prop.join_depth,
        "order_by": order_by,
        "secondary": secondary,
        "primaryjoin": join_condition(prop.primaryjoin),
        "secondaryjoin": join_condition(prop.secondaryjoin),
        "foreign_keys": columns(prop._calculated_foreign_keys),
        "remote_side": columns(prop.remote_side),
        "local_remote_pairs": pairs(prop.local_remote_pairs),
        "synchronize_pairs": pairs(prop.synchronize_pairs),
        "secondary_synchronize_pairs": pairs(prop.secondary_synchronize_pairs),
        "back_populates": prop.back_populates or None,
        "reverse_property": reverse,
        # overlaps= is new in SQLAlchemy 1.4.
        "overlaps": sorted(getattr(prop, "_overlaps", None) or ()),
        "info": plain(dict(prop.info)),
        "distinct_target_key": prop.distinct_target_key,
        "omit_join": prop.omit_join,
        "active_history": prop.active_history,
        "enable_typechecks": prop.enable_typechecks,
        "load_on_pending": prop.load_on_pending,
        "comparator_factory": describe_callable(prop.comparator_factory),
        "doc": getattr(prop, "doc", None),
    }
    # cascade_backrefs= is 1.3 and 1.4 only (2.0 always behaves as False).
    if hasattr(prop, "cascade_backrefs"):
        dumped["cascade_backrefs"] = prop.cascade_backrefs
    if lazy == "dynamic":
        dumped["query_class"] = describe_callable(prop.query_class)
    return dumped


def init_signature(cls):
    try:
        return HEX_ADDRESS.sub("0x?", str(inspect.signature(cls.__init__)))
    except (TypeError, ValueError):
        return None


def dump_mapper(mapper):
    cls = mapper.class_
    relationships = {
        prop.key: dump_relationship(prop)
        for prop in mapper.relationships
        if prop.parent is mapper
    }
    table = mapper.local_table
    dumped = {
        "attrs": sorted(mapper.attrs.keys()),
        "relationships": relationships,
        "table": getattr(table, "fullname", None) or str(table),
    }
    if dataclasses.is_dataclass(cls):
        dumped["dataclass_init"] = init_signature(cls)
        dumped["dataclass_fields"] = dataclass_fields(cls)
        params = getattr(cls, "__dataclass_params__", None)
        if params is not None:
            dumped["dataclass_params"] = HEX_ADDRESS.sub("0x?", repr(params))
    return dumped


def dataclass_fields(cls):
    """What ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__`` do with each
    field of a mapped dataclass."""
    fields = {}
    for f in dataclasses.fields(cls):
        fields[f.name] = {
            "init": f.init,
            "repr": f.repr,
            "compare": f.compare,
            "hash": f.hash,
            "kw_only": getattr(f, "kw_only", None),
            "default": f.default is not dataclasses.MISSING,
            "default_factory": describe_callable(
                None if f.default_factory is dataclasses.MISSING else f.default_factory
            ),
        }
    return fields


def dump_configuration():
    by_key = {}
    for mapper in all_mappers():
        by_key.setdefault(mapper_key(mapper), []).append(dump_mapper(mapper))
    mappers = {}
    for key, dumps in by_key.items():
        if len(dumps) == 1:
            mappers[key] = dumps[0]
            continue
        # Several mapped classes share one name (e.g. classes made in a
        # function): number them in a stable order.
        dumps.sort(key=lambda d: json.dumps(d, sort_keys=True))
        for n, dumped in enumerate(dumps, 1):
            mappers["%s #%d" % (key, n)] = dumped
    return mappers


# --------------------------------------------------------------------------
# Warnings and errors
# --------------------------------------------------------------------------

# "relationship 'A.x' will copy column t.a to column u.b, which conflicts with
# relationship(s): 'B.y' (copies t.a to u.b), ..." is emitted by whichever of
# the conflicting relationships is configured last, so its wording depends on
# the configuration order, which a migration may change.
SYNC_CONFLICT = re.compile(
    r"^relationship '(?P<prop>[^']+)' will copy column (?P<src>\S+) to column "
    r"(?P<dest>\S+), which conflicts with relationship\(s\): (?P<others>.*?)\. "
    # 1.4 and later go on with the first wording, 1.3 with the second.
    r"(?:If this is not the intention|Consider applying viewonly=True)"
)
SYNC_CONFLICT_OTHER = re.compile(r"'(?P<prop>[^']+)' \(copies (?P<src>\S+) to (?P<dest>\S+)\)")


def normalize_warning(category, message):
    """Canonical lines for one warning: one per conflicting pair for sync
    conflicts, the category and message otherwise."""
    match = SYNC_CONFLICT.match(message)
    if match:
        this = "'%s' (copies %s to %s)" % match.group("prop", "src", "dest")
        lines = []
        for other in SYNC_CONFLICT_OTHER.finditer(match.group("others")):
            that = "'%s' (copies %s to %s)" % other.group("prop", "src", "dest")
            lines.append(
                "%s: relationships conflict: %s"
                % (category.__name__, " / ".join(sorted([this, that])))
            )
        if lines:
            return lines
    return ["%s: %s" % (category.__name__, message)]


def record_warnings(caught, root, ignored):
    messages = set()
    for w in caught:
        if warning_identity(w) in ignored:
            continue
        text = normalize_text(str(w.message), root)
        messages.update(normalize_warning(w.category, text))
    return sorted(messages)


def error_document(exc, root, stage):
    return {
        "error": normalize_text("%s: %s" % (type(exc).__name__, exc), root),
        "stage": stage,
        "traceback": normalize_text(
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            root,
        ),
    }


# --------------------------------------------------------------------------
# Where classes and attributes are defined (for messages only)
# --------------------------------------------------------------------------


def locate(mapper):
    """The file and line of a mapped class, and the line of each attribute
    assigned in its body (``{"file", "line", "attrs"}``), or None."""
    cls = mapper.class_
    try:
        path = inspect.getsourcefile(cls)
        lines, first = inspect.getsourcelines(cls)
    except (TypeError, OSError, IndexError):
        return None
    if not path:
        return None
    attrs = {}
    body_indent = None
    for offset, text in enumerate(lines[1:], 1):
        stripped = text.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(stripped)
        if body_indent is None:
            body_indent = indent
        if indent != body_indent:
            continue
        match = ATTRIBUTE.match(stripped)
        if match and match.group(1) not in attrs:
            attrs[match.group(1)] = first + offset
    return {"file": os.path.realpath(path), "line": first, "attrs": attrs}


ATTRIBUTE = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\s*(?::|=(?!=))")


def locations():
    found = {}
    for mapper in all_mappers():
        where = locate(mapper)
        if where is not None:
            found.setdefault(mapper_key(mapper), where)
    return found


# --------------------------------------------------------------------------
# Importing under an overlay
# --------------------------------------------------------------------------


class OverlayLoader(importlib.machinery.SourceFileLoader):
    """Loads a module of the user's tree from its source, or from the
    replacement text of its file; everything else (resources, ``__file__``)
    is the file's. No bytecode is read: a ``.pyc`` cached next to a file
    edited in place (or of the text before the migration) must not win."""

    def __init__(self, fullname, path, replacement):
        super().__init__(fullname, path)
        self.replacement = replacement

    def path_stats(self, path):
        raise OSError("no bytecode for the user's modules")

    def get_data(self, path):
        if self.replacement is not None and os.path.realpath(path) == os.path.realpath(
            self.path
        ):
            with open(self.replacement, "rb") as f:
                return f.read()
        return super().get_data(path)


class OverlayFinder(importlib.abc.MetaPathFinder):
    """Finds modules as the path finder does; a module of the user's tree
    (under ``roots``) is loaded from source, from its replacement if it has
    one. Installed packages keep their bytecode."""

    def __init__(self, overlay, roots):
        self.overlay = {os.path.realpath(k): v for k, v in overlay.items()}
        self.roots = roots

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        origin = os.path.realpath(spec.origin)
        replacement = self.overlay.get(origin)
        if replacement is not None or within(origin, self.roots):
            spec.loader = OverlayLoader(fullname, spec.origin, replacement)
        return spec

    def invalidate_caches(self):
        pass


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


class Renamer:
    """Replaces temporary roots in messages by the paths a user knows."""

    def __init__(self, rename):
        # Longest first, so that a root inside another is replaced whole.
        self.rename = sorted(rename, key=lambda p: -len(p[0]))

    def __call__(self, text):
        for old, new in self.rename:
            text = text.replace(old, new)
        return HEX_ADDRESS.sub("0x?", text)


def last_line(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    return (lines[-1] if lines else type(exc).__name__).strip()


def failure(exc, rename, roots):
    """An exception as the document records it: its last line, its
    traceback, and the last frame of the user's code it passed through."""
    found = {
        "error": rename(last_line(exc)),
        "traceback": rename(
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        ),
    }
    where = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.startswith("<"):
            continue
        path = os.path.realpath(frame.f_code.co_filename)
        if within(path, roots):
            where = {"file": rename(path), "line": line}
    # A SyntaxError names its place itself, not as a frame.
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        path = os.path.realpath(exc.filename)
        if within(path, roots):
            where = {"file": rename(path), "line": exc.lineno}
    if where is not None:
        found["where"] = where
    return found


def within(path, roots):
    if not os.path.isfile(path):  # "<string>", "<frozen ...>"
        return False
    if "site-packages" in path.split(os.sep) or "dist-packages" in path.split(os.sep):
        return False
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


QUALIFIED = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\.([A-Za-z_][A-Za-z_0-9]*)")


def named_place(message, places):
    """The place of the first ``Class.attribute`` a message names, among the
    mapped classes' ``places``."""
    by_name = {}
    for key, where in sorted(places.items()):
        by_name.setdefault(key.rsplit(".", 1)[-1], where)
    for match in QUALIFIED.finditer(message):
        where = by_name.get(match.group(1))
        if where is not None:
            line = where["attrs"].get(match.group(2), where["line"])
            return {"file": where["file"], "line": line}
    return None


def sqlalchemy_versions():
    import sqlalchemy

    versions = {"sqlalchemy": sqlalchemy.__version__}
    try:
        import flask_sqlalchemy
    except Exception:
        pass
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 3.1 deprecates __version__
            versions["flask_sqlalchemy"] = getattr(flask_sqlalchemy, "__version__", "?")
    return versions


def import_each(modules, rename, roots, import_errors, absent):
    imported = []
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as exc:  # noqa: B036 - SystemExit at import too
            if isinstance(exc, KeyboardInterrupt):
                raise
            if isinstance(exc, ModuleNotFoundError) and exc.name == name:
                absent.append(name)
            else:
                import_errors[name] = failure(exc, rename, roots)
        else:
            imported.append(name)
    return imported


def loaded_files(roots, rename):
    """The files of the user's tree that ran as modules (their real paths;
    a symbolic link in the tree counts as the tree's)."""
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            real = os.path.realpath(path)
            if within(real, roots) or within(os.path.abspath(path), roots):
                files.add(rename(real))
    return sorted(files)


def run_request(request):
    rename = Renamer(request.get("rename") or [])
    document = {"python": sys.version.split()[0]}
    try:
        document["versions"] = sqlalchemy_versions()
    except BaseException as exc:  # noqa: B036
        document["fatal"] = "cannot import sqlalchemy: %s" % last_line(exc)
        return document
    roots = [os.path.realpath(p) for p in request.get("path") or []]
    sys.meta_path.insert(0, OverlayFinder(request.get("overlay") or {}, roots))
    import_errors = {}
    absent = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(sys.stderr):
            setup = request.get("setup")
            if setup:
                try:
                    exec(compile(setup, "<verify-setup>", "exec"), {"__name__": "__verify_setup__"})
                except BaseException as exc:  # noqa: B036
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    document["setup_error"] = failure(exc, rename, roots)
                    return document
            document["imported"] = import_each(
                request.get("modules") or [], rename, roots, import_errors, absent
            )
            document["import_errors"] = import_errors
            document["absent"] = absent
            # Classes nothing refers to any more (made in a function) are
            # collected now, in both processes alike, not whenever the
            # collector happens to run.
            gc.collect()
            try:
                from sqlalchemy.orm import configure_mappers

                configure_mappers()
                document["mappers"] = dump_configuration()
            except BaseException as exc:  # noqa: B036
                if isinstance(exc, KeyboardInterrupt):
                    raise
                document["configure_error"] = failure(exc, rename, roots)
                document.pop("mappers", None)
            try:
                places = locations()
            except Exception:
                places = {}
            document["loaded"] = loaded_files(roots, rename)
            for where in places.values():
                where["file"] = rename(where["file"])
            document["locations"] = places
            error = document.get("configure_error")
            if error is not None:
                named = named_place(error["error"], places)
                if named is not None:
                    error["where"] = named
    document["warnings"] = sorted(
        set(rename(w) for w in record_warnings(caught, "", set()))
    )
    return document


def run(root):
    sys.dont_write_bytecode = True
    modules, uncompilable, skipped, compiler_warnings = discover_modules(root)

    stage = "import"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Anything the models print must not corrupt the JSON on stdout.
            with contextlib.redirect_stdout(sys.stderr):
                for name in modules:
                    stage = "import of %s" % name
                    importlib.import_module(name)
                stage = "configure"
                import sqlalchemy
                from sqlalchemy.orm import configure_mappers

                configure_mappers()
                stage = "dump"
                mappers = dump_configuration()
        except BaseException as exc:  # noqa: B036 - SystemExit at import too
            if isinstance(exc, KeyboardInterrupt):
                raise
            return error_document(exc, root, stage)

    return {
        "sqlalchemy_version": sqlalchemy.__version__,
        "modules": modules,
        "uncompilable": uncompilable,
        "skipped": skipped,
        "mappers": mappers,
        "warnings": record_warnings(caught, root, compiler_warnings),
    }


def own_directory_off_path(first):
    """``first`` at the front of sys.path, and this script's own directory
    (which Python put there) nowhere: it must not shadow the user's modules."""
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = list(first) + [
        p for p in sys.path if os.path.realpath(p or os.curdir) != here
    ]


def main(argv):
    if len(argv) == 3 and argv[1] == "--request":
        with open(argv[2], encoding="utf-8") as f:
            request = json.load(f)
        sys.dont_write_bytecode = True
        own_directory_off_path(request.get("path") or [])
        document = run_request(request)
        with open(request["output"], "w", encoding="utf-8") as f:
            json.dump(document, f, sort_keys=True, indent=1)
        # Threads the models started at import must not keep the process
        # alive, nor atexit handlers of the user's code run after the dump.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(3 if "fatal" in document else 0)
    if len(argv) != 2:
        print("usage: dump.py ROOT | dump.py --request REQUEST.json", file=sys.stderr)
        return 2
    root = os.path.realpath(argv[1])
    if not os.path.isdir(root):
        print("dump.py: not a directory: %s" % argv[1], file=sys.stderr)
        return 2
    own_directory_off_path([root])
    document = run(root)
    json.dump(document, sys.stdout, sort_keys=True, indent=1)
    sys.stdout.write("\n")
    return 1 if "error" in document else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
