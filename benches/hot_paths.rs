//! Micro-benchmarks of the hot paths of a whole-tree run:
//!
//! - `scan`: the byte-level scan every file of the tree goes through
//!   (mentions `backref`? class headers, column-0 imports);
//! - `extract`: parsing one large model module and extracting its facts;
//! - `resolve`: building the index of 10,000 classes in 100 modules and
//!   planning their 1,000 backrefs (name resolution, registry strings,
//!   clash checks).
//!
//! `cargo bench --bench hot_paths`. Whole-tree numbers against other tools
//! come from `scripts/bench` (see docs/performance.md).

use std::hint::black_box;
use std::path::PathBuf;
use std::rc::Rc;

use backpop::index::{Index, Modules};
use backpop::{plan, select, syntax};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A declarative model module: `classes` classes with columns, a method, and
/// every tenth one a `relationship(..., backref=...)` to the class before.
fn model_module(prefix: &str, classes: usize) -> String {
    let mut s = String::from(
        "from sqlalchemy import Column, ForeignKey, Integer, String\n\
         from sqlalchemy.orm import relationship\n\n\
         from .base import Base\n\n",
    );
    for i in 0..classes {
        s.push_str(&format!(
            "\nclass {prefix}C{i}(Base):\n    \"\"\"Model number {i}.\"\"\"\n\n    \
             __tablename__ = \"{prefix}_c{i}\"\n    id = Column(Integer, primary_key=True)\n    \
             name = Column(String(50), nullable=False, default=\"x{i}\")\n"
        ));
        if i % 10 == 9 {
            let p = i - 1;
            s.push_str(&format!(
                "    parent_id = Column(ForeignKey(\"{prefix}_c{p}.id\"))\n    \
                 parent = relationship(\"{prefix}C{p}\", backref=\"children_{i}\", lazy=\"select\")\n"
            ));
        }
        s.push_str("\n    def label(self):\n        return f\"{self.id}: {self.name}\"\n");
    }
    s
}

fn scan(c: &mut Criterion) {
    let text = model_module("S", 2_000);
    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("model module", |b| {
        b.iter(|| select::scan(black_box(&text)))
    });
    g.finish();
}

fn extract(c: &mut Criterion) {
    let text = model_module("E", 2_000);
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("model module", |b| {
        b.iter(|| syntax::extract(PathBuf::from("models.py"), black_box(text.clone()), false))
    });
    g.finish();
}

fn resolve(c: &mut Criterion) {
    let mut files = vec![syntax::extract(
        PathBuf::from("app/base.py"),
        "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n".into(),
        false,
    )];
    let mut names = vec!["app.base".to_string()];
    for m in 0..100 {
        let path = PathBuf::from(format!("app/m{m}.py"));
        files.push(syntax::extract(
            path,
            model_module(&format!("M{m}"), 100),
            false,
        ));
        names.push(format!("app.m{m}"));
    }
    files.push(syntax::extract(
        PathBuf::from("app/__init__.py"),
        String::new(),
        false,
    ));
    names.push("app".to_string());
    let roots = vec![PathBuf::from("."); names.len()];
    let modules = Rc::new(Modules::new(names, roots));
    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    g.bench_function("10k classes, 1k backrefs", |b| {
        b.iter(|| {
            let ix = Index::build(files.iter().collect(), modules.clone());
            let planned = plan::plan(&ix);
            assert_eq!(planned.fixes.len(), 1_000);
            planned
        })
    });
    g.finish();
}

criterion_group!(benches, scan, extract, resolve);
criterion_main!(benches);
