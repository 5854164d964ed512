//! The reverse of a backref built by a wrapper family's `backref()`: the
//! family's `relationship()` as the target module spells it, or imported.

use std::collections::BTreeSet;

use super::*;
use crate::config::Family;

/// The family's `relationship` in the target module: a name bound to it
/// there (an import, the module's own `def` before `place`), the spelling
/// the module's relationships use, else a new `from module import name`.
pub(super) fn family_callee(
    ix: &Index,
    family: &Family,
    tfi: usize,
    place: Option<(ClassId, usize)>,
    free_here: &dyn Fn(&str) -> bool,
    needs: &mut BTreeSet<Need>,
) -> Result<String, Refusal> {
    let tfile = &ix.files[tfi];
    let wanted = ix.family_function(tfi, &family.relationship);
    if wanted == Symbol::Unknown {
        return Err(Refusal::FamilyUnproven {
            callee: family.relationship.clone(),
            why: "it cannot be found from the target module".into(),
        });
    }
    let before = |offset: usize| place.is_none_or(|(_, at)| offset < at);
    let imported = tfile
        .imports
        .iter()
        .filter(|i| !i.type_checking)
        .map(|i| i.bound.as_str());
    let defined = tfile
        .bindings
        .iter()
        .filter(|b| b.scope == 0 && before(b.offset))
        .map(|b| b.name.as_str());
    for n in imported.chain(defined) {
        if free_here(n) && ix.lookup(tfi, n) == wanted {
            return Ok(n.to_string());
        }
    }
    // `helpers.relationship` through a module the target imports.
    for n in tfile.imports.iter().filter(|i| !i.type_checking) {
        let spelling = [n.bound.clone(), name_of(&family.relationship).to_string()];
        if free_here(&n.bound) && ix.lookup_dotted(tfi, &spelling) == wanted {
            return Ok(spelling.join("."));
        }
    }
    for r in &tfile.relationships {
        if r.scope == 0 && free_here(&r.callee[0]) && ix.lookup_dotted(tfi, &r.callee) == wanted {
            return Ok(r.callee.join("."));
        }
    }
    let Some((module, name)) = family.relationship.rsplit_once('.') else {
        return Err(Refusal::RelationshipShadowed);
    };
    // A new import of a module of the tree that imports the target's module
    // (directly or not) would be an import cycle.
    if let Some(mf) = ix.module_file(tfi, module)
        && (mf == tfi || ix.imports_transitively(mf).contains(&tfi))
    {
        return Err(Refusal::FamilyUnproven {
            callee: family.relationship.clone(),
            why: format!(
                "the target module has no name for it, and importing `{module}` there would make an import cycle"
            ),
        });
    }
    if ix.lookup(tfi, name) == Symbol::Unknown && free_here(name) {
        needs.insert(Need::From {
            module: module.to_string(),
            name: name.to_string(),
            alias: name.to_string(),
        });
        return Ok(name.to_string());
    }
    // `relationship` means something else here (SQLAlchemy's own, say):
    // reach the family's through its module, `from app import helpers` and
    // `helpers.relationship`; a module named `orm` by `import a.orm` and
    // `a.orm.relationship`, as `orm` is the name SQLAlchemy's own module is
    // imported by when `relationship` is taken.
    let (head, need) = match module.rsplit_once('.') {
        Some((parent, last)) if last != "orm" => (
            last.to_string(),
            Need::From {
                module: parent.to_string(),
                name: last.to_string(),
                alias: last.to_string(),
            },
        ),
        _ => (
            module.to_string(),
            Need::Import {
                module: module.to_string(),
                alias: module.to_string(),
            },
        ),
    };
    let mut spelling: Vec<String> = head.split('.').map(str::to_string).collect();
    spelling.push(name.to_string());
    let first = spelling[0].clone();
    let reaches = ix.lookup_dotted(tfi, &spelling) == wanted;
    if free_here(&first) && (reaches || ix.lookup(tfi, &first) == Symbol::Unknown) {
        if !reaches {
            needs.insert(need);
        }
        return Ok(spelling.join("."));
    }
    Err(Refusal::FamilyUnproven {
        callee: family.relationship.clone(),
        why: format!("`{name}` means something else in the target module"),
    })
}

/// The last segment of a dotted name.
fn name_of(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}
