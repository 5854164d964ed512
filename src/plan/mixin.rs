//! `declared_attr` relationships: a mixin's `@declared_attr def owner(cls):
//! return relationship("User", backref=...)` runs once for each mapped class
//! that inherits it, and each run creates its own backref on the target. The
//! migration keeps the forward in the mixin (its `back_populates=` computes the
//! same name as the backref did) and writes one reverse per such class, named
//! by evaluating the backref name for that class (`cls.__name__.lower() + "s"`).
//!
//! Declarative runs a non-cascading `declared_attr` of a mixin for a mapped
//! class that has the mixin in its bases, unless a mapped superclass already
//! has it (the subclass inherits that one's attribute) or the class defines
//! the attribute itself.
//!
//! It lists the classes a declared_attr runs for and refuses when that set
//! cannot be proven complete; it does not evaluate Python beyond the name
//! expressions `expr` understands.

use super::*;

pub(super) fn pairings(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
    da: &DeclaredAttrFact,
) -> Result<Vec<Pairing>, Refusal> {
    let Owner::Class(ci) = rel.owner else {
        return Err(Refusal::DeclaredAttrOutsideClass);
    };
    let mixin = ClassId::new(fi, ci);
    if da.cascading {
        return Err(Refusal::CascadingDeclaredAttr {
            attr: rel.attr.clone(),
        });
    }
    if let Some((k, local)) = moved_local(rel, b, da) {
        return Err(Refusal::DeclaredAttrLocal {
            kwarg: k.to_string(),
            local: local.to_string(),
            attr: rel.attr.clone(),
        });
    }
    if let Some(callee) = &b.callee
        && flavor_of(ix, fi, rel.scope, callee, &["backref"]).is_none()
    {
        // `backref=plural(cls)`: a function computes the name.
        let text = &ix.files[fi].source[b.kw_range.clone()];
        let value = text.split_once('=').map_or(text, |(_, v)| v.trim());
        return Err(Refusal::NameComputed {
            text: value.to_string(),
        });
    }
    let mut classes = classes_running(ix, mixin, &rel.attr)?;
    if da.other_exit {
        return Err(Refusal::DeclaredAttrExits {
            attr: rel.attr.clone(),
            class: None,
        });
    }
    // `if not cls.allow_x: return`: the classes for which it returns get no
    // relationship, hence no backref.
    let mut kept = Vec::with_capacity(classes.len());
    for c in classes {
        let mut runs = true;
        for (attr, when_true) in &da.guards {
            let value = class_attr_value(ix, c, attr, &|k: &ClassFact| {
                k.bool_attrs
                    .iter()
                    .map(|(n, v)| (n.clone(), v.to_string()))
                    .collect()
            });
            match value.as_deref() {
                Some(v) if (v == "true") == *when_true => runs = false,
                Some(_) => {}
                None => {
                    return Err(Refusal::DeclaredAttrExits {
                        attr: rel.attr.clone(),
                        class: Some(ix.class(c).name.clone()),
                    });
                }
            }
        }
        if runs {
            kept.push(c);
        }
    }
    classes = kept;
    if classes.is_empty() {
        return Err(Refusal::NoClassRunsDeclaredAttr {
            attr: rel.attr.clone(),
            mixin: ix.class(mixin).name.clone(),
        });
    }
    let mut out = Vec::new();
    for c in classes {
        let class = ix.class(c);
        let mut b = b.clone();
        let computed = match (b.name.clone(), &da.name) {
            (BackrefName::Dynamic(text), Some(expr)) => {
                let name = expr
                    .eval(&class.name, &|a| class_str_attr(ix, c, a))
                    .ok_or_else(|| Refusal::NameNeedsClassAttribute {
                        text: text.clone(),
                        class: class.name.clone(),
                    })?;
                b.name = BackrefName::Literal(name);
                Some(text)
            }
            (BackrefName::Dynamic(text), None) => {
                return Err(Refusal::NameComputed { text: text.clone() });
            }
            _ => None,
        };
        let mut p =
            pairing(ix, fi, ri, rel, &b, Some(c)).map_err(|why| why.for_subclass(&class.name))?;
        if let Some(text) = computed {
            // The forward keeps computing the name for the class it runs for.
            p.forward_value = crate::expr::collapse_lines(&text).unwrap_or(text);
        }
        p.mixin = Some(mixin);
        out.push(p);
    }
    Ok(out)
}

/// The string value of class attribute `attr` of `c`: in its own body, else
/// in the nearest base that assigns it (bases in declaration order, depth
/// first — the MRO of the usual single-inheritance chains). `__tablename__`
/// is not inherited from a mapped base by its subclasses' own tables, but a
/// class that runs a declared_attr has its own.
fn class_str_attr(ix: &Index, c: ClassId, attr: &str) -> Option<String> {
    class_attr_value(ix, c, attr, &|k: &ClassFact| k.str_attrs.clone())
}

/// The value a class attribute has for class `c`, from the class or the
/// nearest base that assigns it, read from the `(name, value)` pairs `values`
/// gives for a class; `None` when it is assigned otherwise, or twice.
fn class_attr_value(
    ix: &Index,
    c: ClassId,
    attr: &str,
    values_of: &dyn Fn(&ClassFact) -> Vec<(String, String)>,
) -> Option<String> {
    let own = |k: ClassId| {
        let class = ix.class(k);
        if attr == "__tablename__" {
            return Some(class.tablename.clone());
        }
        // Only a plain assignment counts: a method or a second assignment of
        // the name makes its value unknown.
        let assigned = class
            .members
            .iter()
            .filter(|m| m.names.iter().any(|n| n == attr))
            .count();
        let all = values_of(class);
        let values: Vec<&String> = all
            .iter()
            .filter(|(n, _)| n == attr)
            .map(|(_, v)| v)
            .collect();
        match (assigned, values.as_slice()) {
            (1, [v]) => Some(Some((*v).clone())),
            (0, _) => None,
            _ => Some(None),
        }
    };
    if let Some(v) = own(c) {
        return v;
    }
    if attr == "__tablename__" {
        return None;
    }
    for a in ix.ancestors(c) {
        if let Some(v) = own(a) {
            return v;
        }
    }
    None
}

/// A keyword the reverse would carry that uses a name of the function
/// (`foreign_keys=[cls.owner_id]`).
fn moved_local<'a>(
    rel: &'a RelFact,
    b: &'a BackrefFact,
    da: &'a DeclaredAttrFact,
) -> Option<(&'a str, &'a str)> {
    const CARRIED: &[&str] = &["secondary", "primaryjoin", "secondaryjoin", "foreign_keys"];
    let forward = rel
        .kwargs
        .iter()
        .filter(|k| CARRIED.contains(&k.name.as_str()));
    let values = forward
        .chain(b.kwargs.iter())
        .map(|k| (k.name.as_str(), &k.value))
        .chain(rel.positional_secondary.as_ref().map(|v| ("secondary", v)));
    for (k, v) in values {
        // `cls` stands for the class the function runs for; other locals are unknown.
        if let Some(n) = v
            .names
            .iter()
            .find(|n| da.locals.contains(&n.head) && da.cls.as_ref() != Some(&n.head))
        {
            return Some((k, n.head.as_str()));
        }
    }
    None
}

/// The mapped classes of the tree that run the mixin's declared_attr `attr`.
fn classes_running(ix: &Index, mixin: ClassId, attr: &str) -> Result<Vec<ClassId>, Refusal> {
    if surely_mapped(ix, mixin) {
        return Ok(vec![mixin]);
    }
    // Classes made at run time cannot be listed: the reverses they need are unknown.
    if !crate::guard::off("mixin-runtime") {
        let descendants = ix.descendants(mixin);
        for c in std::iter::once(mixin).chain(descendants.iter().copied()) {
            let name = &ix.class(c).name;
            if let Some(path) = ix.type_call_naming(name) {
                return Err(Refusal::SubclassByTypeCall {
                    path: path.to_path_buf(),
                    class: name.clone(),
                    attr: attr.to_string(),
                });
            }
            if ix.class(c).scope != 0 {
                return Err(Refusal::SubclassInFunction {
                    class: name.clone(),
                    attr: attr.to_string(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for d in ix.descendants(mixin) {
        if !surely_mapped(ix, d) {
            if not_mapped(ix, d).is_some() {
                continue;
            }
            return Err(Refusal::MappedUnknown {
                class: ix.class(d).name.clone(),
                attr: attr.to_string(),
            });
        }
        let ancestors = ix.ancestors(d);
        // A mapped superclass that has the mixin already ran it.
        if ancestors
            .iter()
            .any(|&a| a != mixin && surely_mapped(ix, a) && ix.ancestors(a).contains(&mixin))
        {
            continue;
        }
        // A value of that name in the class body replaces the declared_attr;
        // an annotation without a value (for type checkers) or a stub under
        // `if TYPE_CHECKING:` does not, and the declared_attr still runs.
        let defines = |c: ClassId| {
            ix.class(c).members.iter().any(|m| {
                m.binds(attr)
                    || (crate::guard::off("mixin-annotation") && m.names.iter().any(|n| n == attr))
            })
        };
        if defines(d) {
            continue;
        }
        if let Some(&other) = ancestors
            .iter()
            .find(|&&a| a != mixin && !ix.ancestors(mixin).contains(&a) && defines(a))
        {
            return Err(Refusal::BaseOrderDecides {
                class: ix.class(d).name.clone(),
                attr: attr.to_string(),
                other: ix.class(other).name.clone(),
            });
        }
        out.push(d);
    }
    out.sort();
    Ok(out)
}

/// A class that declarative maps: in a traced registry, not abstract, with a
/// table in its chain (its own or inherited).
fn surely_mapped(ix: &Index, c: ClassId) -> bool {
    let class = ix.class(c);
    if class.abstract_ || ix.root(c).is_none() {
        return false;
    }
    std::iter::once(c).chain(ix.ancestors(c)).any(|a| {
        let k = ix.class(a);
        k.tablename.is_some()
            || k.members.iter().any(|m| {
                m.names
                    .iter()
                    .any(|n| n == "__table__" || n == "__tablename__")
            })
    })
}
