//! The two halves point at each other: the forward's target is the class
//! that received the reverse, the reverse's target is the forward's class
//! (for a declared_attr mixin, a mapped class that runs it), both in one
//! registry; a class named by an annotation is that class for the type
//! checker (the module's names) and for SQLAlchemy (the registry, for a
//! string).

use crate::facts::{Owner, RelFact, TargetArg};
use crate::index::{ClassId, Index, Resolved, Symbol};
use crate::plan::Fix;

/// The class that holds the forward, in the index after.
pub(super) fn forward_class(new: &Index, fix: &Fix, fwd: &RelFact) -> Result<ClassId, String> {
    match &fwd.owner {
        Owner::Class(ci) => Ok(ClassId::new(fix.file, *ci)),
        Owner::Assigned(chain) => match new.lookup_dotted_in(fix.file, fwd.scope, chain) {
            Symbol::Class(c) => Ok(c),
            _ => Err(format!(
                "`{}` is not found again as a class",
                chain.join(".")
            )),
        },
        Owner::Imperative(_) => Err("an imperative mapping has no class body".into()),
    }
}

/// The forward names `target` and the reverse names `source` (or, for a
/// declared_attr, a class inheriting it), in one registry.
pub(super) fn targets_agree(
    new: &Index,
    fix: &Fix,
    fwd: &RelFact,
    source: ClassId,
    rev: &RelFact,
    target: ClassId,
) -> Result<(), String> {
    let back = resolve(new, target.file, rev, Some(target), true)?;
    let intended = if fwd.declared_attr.is_some() {
        back == source || new.ancestors(back).contains(&source)
    } else {
        back == source
    };
    if !intended {
        return Err(format!(
            "the target of `{}.{}` is `{}`, not `{}`",
            fix.target_class,
            rev.attr,
            place(new, back),
            place(new, source)
        ));
    }
    let forth = resolve(new, fix.file, fwd, Some(back), false)?;
    if forth != target {
        return Err(format!(
            "the target of the forward `{}` is `{}`, not `{}`",
            fwd.attr,
            place(new, forth),
            place(new, target)
        ));
    }
    if let (Some(a), Some(b)) = (new.root(back), new.root(target))
        && a != b
    {
        return Err(format!(
            "`{}` and `{}` are mapped by different registries",
            new.class(back).name,
            fix.target_class
        ));
    }
    Ok(())
}

/// A class by name and, where that is not enough, by place.
fn place(ix: &Index, c: ClassId) -> String {
    let k = ix.class(c);
    format!(
        "{}` at `{}:{}",
        k.name,
        ix.files[c.file].path.display(),
        k.pos.line
    )
}

/// The class a relationship statement targets: its first argument, else its
/// annotation's class. An annotation's class must be the same for the type
/// checker (the module's name) and for SQLAlchemy.
fn resolve(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    from: Option<ClassId>,
    written: bool,
) -> Result<ClassId, String> {
    let found = |r: Resolved, what: &str| match r {
        Resolved::Class(c) => Ok(c),
        Resolved::Ambiguous(_) => Err(format!("{what} names more than one class")),
        Resolved::Missing => Err(format!("{what} is not found")),
    };
    let by_argument = match &rel.target {
        TargetArg::Absent => None,
        TargetArg::Other(t) => {
            return Err(format!(
                "the target `{t}` of `{}` is no class name",
                rel.attr
            ));
        }
        t => {
            let what = format!("the target of `{}`", rel.attr);
            match per_class_attribute(ix, rel, from, t) {
                Some(Ok(c)) => Some(c),
                Some(Err(name)) => Some(found(
                    ix.resolve_target(fi, rel.scope, from, &TargetArg::Str(name)),
                    &what,
                )?),
                None => Some(found(ix.resolve_target(fi, rel.scope, from, t), &what)?),
            }
        }
    };
    let by_annotation = match rel.annotation.as_deref().and_then(annotated_class) {
        None if by_argument.is_none() => {
            return Err(format!("`{}` names no target class", rel.attr));
        }
        None => None,
        Some((name, quoted)) => {
            let what = format!("`{name}` in the annotation of `{}`", rel.attr);
            let parts: Vec<String> = name.split('.').map(str::to_string).collect();
            let module = match ix.lookup_dotted_in(fi, rel.scope, &parts) {
                Symbol::Class(c) => Some(c),
                _ => None,
            };
            let registry = || found(ix.resolve_class_string(fi, rel.scope, from, &name), &what);
            match (module, written) {
                // What the tool wrote: the type checker's class, and for a
                // string SQLAlchemy's too.
                (None, true) => return Err(format!("{what} is not a class name of its module")),
                (Some(m), true) if quoted && registry()? != m => {
                    return Err(format!(
                        "{what} means one class to SQLAlchemy and another to a type checker"
                    ));
                }
                (Some(m), _) => Some(m),
                // A forward as its author wrote it: SQLAlchemy's reading.
                (None, false) => Some(registry()?),
            }
        }
    };
    match (by_argument, by_annotation) {
        (Some(a), Some(b)) if a != b => Err(format!(
            "the target and the annotation of `{}` name different classes",
            rel.attr
        )),
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(format!("`{}` names no target class", rel.attr)),
    }
}

/// `cls.attr` in a declared_attr run for class `from`: the class that `attr`
/// names where `from`, or the first of its ancestors that assigns it, does
/// (once, to a name), or (`Err`) the string it assigns.
fn per_class_attribute(
    ix: &Index,
    rel: &RelFact,
    from: Option<ClassId>,
    t: &TargetArg,
) -> Option<Result<ClassId, String>> {
    let da = rel.declared_attr.as_ref()?;
    let (TargetArg::Name(parts) | TargetArg::Lambda(parts)) = t else {
        return None;
    };
    if parts.len() != 2 || da.cls.as_ref() != parts.first() {
        return None;
    }
    let attr = &parts[1];
    let from = from?;
    let mut chain = vec![from];
    chain.extend(ix.ancestors(from));
    for k in chain {
        let class = ix.class(k);
        let assignments = class
            .members
            .iter()
            .filter(|m| m.names.contains(attr))
            .count();
        if assignments == 0 {
            continue;
        }
        let named: Vec<&Vec<String>> = class
            .name_attrs
            .iter()
            .filter_map(|(n, v)| (n == attr).then_some(v))
            .collect();
        let text = class.str_attrs.iter().find(|(n, _)| n == attr);
        return match (assignments, named.as_slice(), text) {
            (1, [], Some((_, s))) => Some(Err(s.clone())),
            (1, [v], None) => match ix.lookup_dotted_in(k.file, class.scope, v) {
                Symbol::Class(c) => Some(Ok(c)),
                _ => None,
            },
            _ => None,
        };
    }
    None
}

/// The class an annotation names (`Mapped[List["Post"]]` -> `Post`, quoted),
/// and whether it is a string. `None` for a form not read here.
pub(super) fn annotated_class(ann: &str) -> Option<(String, bool)> {
    let mut s: String = ann.chars().filter(|c| !c.is_whitespace()).collect();
    let mut quoted = false;
    loop {
        if let Some(inner) = s
            .strip_prefix(['"', '\''])
            .and_then(|t| t.strip_suffix(['"', '\'']))
        {
            // A whole string annotation: its content is read as one.
            quoted = true;
            s = inner.to_string();
            continue;
        }
        // `X | None`, `None | X`
        if let Some(part) = split_top(&s, '|')
            .into_iter()
            .filter(|p| *p != "None")
            .collect::<Vec<_>>()
            .first()
            .filter(|_| split_top(&s, '|').len() > 1)
        {
            s = part.to_string();
            continue;
        }
        let Some(open) = s.find('[') else {
            let valid = !s.is_empty()
                && s.split('.').all(|p| {
                    p.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                        && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                });
            return valid.then_some((s, quoted));
        };
        let outer = s[..open].rsplit('.').next().unwrap_or_default().to_string();
        let inner = s[open + 1..].strip_suffix(']')?.to_string();
        let args = split_top(&inner, ',');
        let pick = match outer.as_str() {
            "Mapped" | "DynamicMapped" | "WriteOnlyMapped" | "Optional" | "List" | "list"
            | "Set" | "set" | "FrozenSet" | "frozenset" | "Sequence" | "Collection"
            | "Iterable" => args.first().copied(),
            "Dict" | "dict" | "Mapping" | "MutableMapping" => args.last().copied(),
            _ => None,
        };
        s = pick?.to_string();
        if args.len() != 1
            && !matches!(
                outer.as_str(),
                "Dict" | "dict" | "Mapping" | "MutableMapping"
            )
        {
            return None;
        }
    }
}

/// `text` split at `sep` outside brackets and quotes.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::annotated_class;

    #[test]
    fn annotation_classes() {
        let c = |a: &str| annotated_class(a);
        assert_eq!(c("Mapped[List[\"Post\"]]"), Some(("Post".into(), true)));
        assert_eq!(c("Mapped[Optional[User]]"), Some(("User".into(), false)));
        assert_eq!(
            c("Mapped[Dict[Any, \"Note\"]]"),
            Some(("Note".into(), true))
        );
        assert_eq!(c("Mapped[\"User | None\"]"), Some(("User".into(), true)));
        assert_eq!(c("Mapped[m.User | None]"), Some(("m.User".into(), false)));
        assert_eq!(c("\"Mapped[list[Post]]\""), Some(("Post".into(), true)));
        assert_eq!(c("WriteOnlyMapped[\"Post\"]"), Some(("Post".into(), true)));
        assert_eq!(c("Mapped[Union[A, B]]"), None);
        assert_eq!(c("Mapped[List[A, B]]"), None);
    }
}
