//! Two dumps of a mapper configuration, compared: what configures
//! differently after the change, relationship by relationship and field by
//! field, and what could not be compared at all.
//!
//! The documents are the ones `dump.py` writes. Only `mappers`, the import
//! and configure failures (`failures`) and the warnings are compared;
//! `locations` only says where to point a finding.

use std::collections::BTreeSet;

use serde_json::Value;

use super::failures;
use super::{Finding, Place};

/// Values that configure the same relationship although the dump spells
/// them differently: "no ORDER BY" is `False`, `None` or an empty list.
fn canonical(field: &str, v: &Value) -> Value {
    match (field, v) {
        ("order_by", Value::Bool(false)) => Value::Null,
        ("order_by", Value::Array(a)) if a.is_empty() => Value::Null,
        _ => v.clone(),
    }
}

/// A value as a finding shows it, in Python's spelling.
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

pub(super) fn object<'a>(doc: &'a Value, key: &str) -> Option<&'a serde_json::Map<String, Value>> {
    doc.get(key).and_then(Value::as_object)
}

pub(super) fn strings(doc: &Value, key: &str) -> BTreeSet<String> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Where `class` (and its attribute `attr`) is defined: after the change if
/// it exists there, else before.
fn place(before: &Value, after: &Value, class: &str, attr: Option<&str>) -> Option<Place> {
    [after, before].into_iter().find_map(|doc| {
        let loc = object(doc, "locations")?.get(class)?;
        let file = loc.get("file")?.as_str()?;
        let line = attr
            .and_then(|a| loc.get("attrs")?.get(a)?.as_u64())
            .or_else(|| loc.get("line")?.as_u64())?;
        Some(Place {
            file: file.into(),
            line: line as usize,
        })
    })
}

/// Every difference between the `before` and `after` documents, for the
/// requested `modules`; none means the two configure the same relationships.
pub fn compare(before: &Value, after: &Value, modules: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    failures::setup(before, after, &mut out);
    if !out.is_empty() {
        return out;
    }
    failures::imports(before, after, modules, &mut out);
    if failures::configure(before, after, &mut out) {
        mappers(before, after, &mut out);
    }
    let old = strings(before, "warnings");
    for w in strings(after, "warnings").difference(&old) {
        out.push(Finding::NewWarning { warning: w.clone() });
    }
    out
}

/// How many relationships the document has.
pub fn relationships(doc: &Value) -> usize {
    object(doc, "mappers").map_or(0, |m| {
        m.values()
            .filter_map(|v| v.get("relationships")?.as_object().map(|r| r.len()))
            .sum()
    })
}

/// `Missing` or `Added` when `class` (or its `attribute`) exists on one side
/// only.
fn presence(
    class: &str,
    attribute: Option<&str>,
    before: bool,
    after: bool,
    place: Option<Place>,
) -> Option<Finding> {
    let (class, attribute) = (class.to_string(), attribute.map(String::from));
    match (before, after) {
        (true, false) => Some(Finding::Missing {
            class,
            attribute,
            place,
        }),
        (false, true) => Some(Finding::Added {
            class,
            attribute,
            place,
        }),
        _ => None,
    }
}

fn mappers(before: &Value, after: &Value, out: &mut Vec<Finding>) {
    let empty = serde_json::Map::new();
    let b = object(before, "mappers").unwrap_or(&empty);
    let a = object(after, "mappers").unwrap_or(&empty);
    let classes: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    for class in classes {
        let at = |attr: Option<&str>| place(before, after, class, attr);
        match (b.get(class), a.get(class)) {
            (Some(mb), Some(ma)) => mapper(class, mb, ma, &at, out),
            (mb, ma) => out.extend(presence(class, None, mb.is_some(), ma.is_some(), at(None))),
        }
    }
}

fn mapper(
    class: &str,
    b: &Value,
    a: &Value,
    at: &dyn Fn(Option<&str>) -> Option<Place>,
    out: &mut Vec<Finding>,
) {
    let empty = serde_json::Map::new();
    let rel_b = object(b, "relationships").unwrap_or(&empty);
    let rel_a = object(a, "relationships").unwrap_or(&empty);
    // Attributes that are not relationships: a column or property lost or gained.
    let (attrs_b, attrs_a) = (strings(b, "attrs"), strings(a, "attrs"));
    // Those lost, then those gained.
    let lost = attrs_b
        .difference(&attrs_a)
        .filter(|x| !rel_b.contains_key(*x));
    let gained = attrs_a
        .difference(&attrs_b)
        .filter(|x| !rel_a.contains_key(*x));
    for attr in lost.chain(gained) {
        let (was, is) = (attrs_b.contains(attr), attrs_a.contains(attr));
        out.extend(presence(class, Some(attr), was, is, at(Some(attr))));
    }
    // Everything else the mapper says (its table, a dataclass's fields and
    // parameters): compared whole.
    let keys: BTreeSet<&String> = b
        .as_object()
        .into_iter()
        .chain(a.as_object())
        .flat_map(|o| o.keys())
        .filter(|k| *k != "attrs" && *k != "relationships")
        .collect();
    for field in keys {
        if field == "dataclass_fields" {
            dataclass_fields(class, b.get(field), a.get(field), at, out);
            continue;
        }
        let (vb, va) = (b.get(field), a.get(field));
        if vb != va {
            out.push(Finding::Field {
                class: class.into(),
                attribute: None,
                field: field.clone(),
                before: vb.map_or("None".into(), show),
                after: va.map_or("None".into(), show),
                place: at(None),
            });
        }
    }
    let keys: BTreeSet<&String> = rel_b.keys().chain(rel_a.keys()).collect();
    for key in keys {
        let place = at(Some(key));
        match (rel_b.get(key), rel_a.get(key)) {
            (Some(rb), Some(ra)) => relationship(class, key, rb, ra, place, out),
            (rb, ra) => out.extend(presence(
                class,
                Some(key),
                rb.is_some(),
                ra.is_some(),
                place,
            )),
        }
    }
}

/// The fields of a mapped dataclass, one by one: what `__init__`,
/// `__repr__`, `__eq__` and `__hash__` do with each.
fn dataclass_fields(
    class: &str,
    b: Option<&Value>,
    a: Option<&Value>,
    at: &dyn Fn(Option<&str>) -> Option<Place>,
    out: &mut Vec<Finding>,
) {
    let empty = serde_json::Map::new();
    let fb = b.and_then(Value::as_object).unwrap_or(&empty);
    let fa = a.and_then(Value::as_object).unwrap_or(&empty);
    let describe = |v: &Value| -> String {
        v.as_object().map_or_else(String::new, |o| {
            o.iter()
                .map(|(k, v)| format!("{k}={}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let names: BTreeSet<&String> = fb.keys().chain(fa.keys()).collect();
    for name in names {
        let finding = |field: String, before: String, after: String| Finding::Field {
            class: class.into(),
            attribute: Some(name.clone()),
            field,
            before,
            after,
            place: at(Some(name)),
        };
        match (fb.get(name), fa.get(name)) {
            (Some(x), Some(y)) => {
                let (ox, oy) = (
                    x.as_object().unwrap_or(&empty),
                    y.as_object().unwrap_or(&empty),
                );
                let keys: BTreeSet<&String> = ox.keys().chain(oy.keys()).collect();
                for k in keys {
                    let (vx, vy) = (ox.get(k), oy.get(k));
                    if vx != vy {
                        out.push(finding(
                            format!("dataclass field {k}"),
                            vx.map_or("None".into(), show),
                            vy.map_or("None".into(), show),
                        ));
                    }
                }
            }
            (x, y) => out.push(finding(
                "dataclass field".into(),
                x.map_or("(not a field)".into(), describe),
                y.map_or("(not a field)".into(), describe),
            )),
        }
    }
}

fn relationship(
    class: &str,
    key: &str,
    b: &Value,
    a: &Value,
    place: Option<Place>,
    out: &mut Vec<Finding>,
) {
    let empty = serde_json::Map::new();
    let (fb, fa) = (
        b.as_object().unwrap_or(&empty),
        a.as_object().unwrap_or(&empty),
    );
    let fields: BTreeSet<&String> = fb.keys().chain(fa.keys()).collect();
    for field in fields {
        let vb = fb.get(field).map_or(Value::Null, |v| canonical(field, v));
        let va = fa.get(field).map_or(Value::Null, |v| canonical(field, v));
        if vb != va {
            out.push(Finding::Field {
                class: class.into(),
                attribute: Some(key.into()),
                field: field.clone(),
                before: show(&vb),
                after: show(&va),
                place: place.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::failures::not_run;
    use crate::verify::{Watched, When};
    use serde_json::json;

    fn doc(uselist: bool) -> Value {
        json!({
            "imported": ["app.models"], "import_errors": {}, "absent": [],
            "mappers": {"app.models.User": {"attrs": ["id", "profile"], "table": "users",
                "relationships": {"profile": {"uselist": uselist, "order_by": false}}}},
            "locations": {"app.models.User": {"file": "/p/app/models.py", "line": 5,
                "attrs": {"profile": 9}}},
            "warnings": [],
        })
    }

    #[test]
    fn equal_documents_have_no_findings() {
        assert_eq!(
            compare(&doc(false), &doc(false), &["app.models".into()]),
            vec![]
        );
    }

    #[test]
    fn a_field_that_differs_is_one_finding_at_the_attribute() {
        let found = compare(&doc(false), &doc(true), &["app.models".into()]);
        assert_eq!(
            found,
            vec![Finding::Field {
                class: "app.models.User".into(),
                attribute: Some("profile".into()),
                field: "uselist".into(),
                before: "False".into(),
                after: "True".into(),
                place: Some(Place {
                    file: "/p/app/models.py".into(),
                    line: 9
                }),
            }]
        );
    }

    #[test]
    fn no_order_by_is_spelled_three_ways() {
        let mut after = doc(false);
        after["mappers"]["app.models.User"]["relationships"]["profile"]["order_by"] = json!(null);
        assert_eq!(compare(&doc(false), &after, &[]), vec![]);
    }

    #[test]
    fn a_relationship_gone_is_missing_after() {
        let mut after = doc(false);
        after["mappers"]["app.models.User"]["relationships"] = json!({});
        after["mappers"]["app.models.User"]["attrs"] = json!(["id"]);
        let found = compare(&doc(false), &after, &[]);
        assert!(matches!(
            &found[..],
            [Finding::Missing { attribute: Some(a), .. }] if a == "profile"
        ));
    }

    #[test]
    fn an_import_failing_on_both_sides_is_unverified_and_masks_nothing() {
        let mut b = doc(false);
        b["import_errors"] = json!({"app.models": {"error": "NameError: x"}});
        let a = b.clone();
        let found = compare(&b, &a, &["app.models".into()]);
        assert_eq!(
            found,
            vec![Finding::ImportFails {
                module: "app.models".into(),
                when: When::Both,
                error: "NameError: x".into(),
                place: None
            }]
        );
        assert!(found[0].unverified());
    }

    #[test]
    fn a_configure_error_after_is_a_difference() {
        let mut a = doc(false);
        a["configure_error"] = json!({"error": "ArgumentError: boom"});
        let found = compare(&doc(false), &a, &[]);
        assert!(matches!(
            &found[..],
            [Finding::ConfigureFails {
                when: When::After,
                ..
            }]
        ));
        assert!(!found[0].unverified());
    }

    #[test]
    fn only_new_warnings_count() {
        let mut b = doc(false);
        b["warnings"] = json!(["SAWarning: old"]);
        let mut a = doc(false);
        a["warnings"] = json!(["SAWarning: new"]);
        assert_eq!(
            compare(&b, &a, &[]),
            vec![Finding::NewWarning {
                warning: "SAWarning: new".into()
            }]
        );
        // A warning gone after the change is not a finding.
        let mut quiet = doc(false);
        quiet["warnings"] = json!([]);
        assert_eq!(compare(&b, &quiet, &[]), vec![]);
    }

    #[test]
    fn a_module_failing_differently_on_each_side_is_a_difference() {
        let mut b = doc(false);
        b["import_errors"] = json!({"app.models": {"error": "KeyError: 'DATABASE_URL'"}});
        let mut a = doc(false);
        a["import_errors"] = json!({"app.models": {"error": "NameError: relationship"}});
        let found = compare(&b, &a, &["app.models".into()]);
        assert!(matches!(
            &found[..],
            [Finding::ImportFails { when: When::Differently, error, .. }]
                if error == "NameError: relationship (before the change: KeyError: 'DATABASE_URL')"
        ));
        assert!(!found[0].unverified());
    }

    #[test]
    fn a_changed_file_no_module_ran_is_unverified() {
        let mut d = doc(false);
        d["loaded"] = json!(["/p/app/models.py"]);
        let watched = |f: &str| Watched {
            module: "x".into(),
            after: Some(f.into()),
            before: Some(f.into()),
        };
        assert_eq!(not_run(&d, &d, &[watched("/p/app/models.py")]), vec![]);
        let found = not_run(&d, &d, &[watched("/p/other/models.py")]);
        assert_eq!(
            found,
            vec![Finding::NotRun {
                file: "/p/other/models.py".into(),
                when: When::Both
            }]
        );
        assert!(found[0].unverified());
    }
}
