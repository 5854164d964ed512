//! Property tests over arbitrary and mutated input, through the library's
//! whole pipeline (`backpop::run`, the function the binary calls):
//!
//! - it never panics and never fails as a whole (per-file trouble is a
//!   diagnostic or an error line, not an `Err`);
//! - every file it writes parses with no more tree-sitter ERROR nodes than
//!   the original had;
//! - `--write` twice equals `--write` once.
//!
//! Inputs: arbitrary bytes in a `.py` file next to a valid model module, and
//! real model files (the fixture inputs of `testdata/cases`) mutated by
//! deleting, duplicating and inserting pieces. `PROPTEST_CASES` sets how many
//! inputs each property tries (default 256).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use backpop::{Mode, Options, run};
use proptest::prelude::*;

use common::*;

fn error_nodes(source: &[u8]) -> usize {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("python grammar");
    let Some(tree) = parser.parse(source, None) else {
        return usize::MAX;
    };
    let mut count = 0;
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            count += 1;
        }
        stack.extend(n.children(&mut cursor));
    }
    count
}

/// Every regular file under `root`, relative path -> bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if e.file_type().expect("file type").is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).expect("under root").to_path_buf();
                out.push((rel, fs::read(&p).expect("read file")));
            }
        }
    }
    out.sort();
    out
}

fn write(root: &Path) {
    let opts = Options {
        paths: vec![root.to_path_buf()],
        mode: Mode::Write,
        ..Options::default()
    };
    // Per-file trouble is reported in the outcome; the run itself must not fail.
    run(&opts).expect("run");
}

/// Runs `--write` twice on a tree and checks the three properties.
fn check_tree(files: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        let p = tmp.path().join(name);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, bytes).expect("write");
    }
    let before = snapshot(tmp.path());
    write(tmp.path());
    let once = snapshot(tmp.path());
    write(tmp.path());
    let twice = snapshot(tmp.path());
    prop_assert_eq!(&once, &twice, "--write twice differs from --write once");
    for ((path, old), (_, new)) in before.iter().zip(&once) {
        if old != new && path.extension().is_some_and(|e| e == "py") {
            prop_assert!(
                error_nodes(new) <= error_nodes(old),
                "{} has more ERROR nodes after the migration:\n{}",
                path.display(),
                String::from_utf8_lossy(new)
            );
        }
    }
    Ok(())
}

const MODEL: &str = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\nclass Parent(Base):\n    __tablename__ = \"parent\"\n    id = Column(Integer, primary_key=True)\n    children = relationship(\"Child\", backref=\"parent\")\n\n\nclass Child(Base):\n    __tablename__ = \"child\"\n    id = Column(Integer, primary_key=True)\n    parent_id = Column(ForeignKey(\"parent.id\"))\n";

/// The `.py` files of the fixture inputs that mention `backref`: real model
/// code in many forms.
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![repo_root().join("testdata/cases")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "expected") {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "py")
                && p.components().any(|c| c.as_os_str() == "input")
            {
                let bytes = fs::read(&p).expect("read");
                if bytes.windows(7).any(|w| w == b"backref") {
                    out.push(bytes);
                }
            }
        }
    }
    out.sort();
    out
}

/// One way of damaging a file.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Insert { at: usize, text: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippets = prop::sample::select(vec![
        &b"("[..],
        b")",
        b"\"",
        b"'",
        b"\n",
        b"\r\n",
        b"\r",
        b"\t",
        b"    ",
        b"\x0c",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\xff",
        b"#",
        b"\\\n",
        b"backref=",
        b", backref=backref(\"x\", lazy=\"dynamic\")",
        b"relationship(",
        b"class X(Base):\n    pass\n",
        b"print 'py2'\n",
        b"lambda: ",
        b"[[[[[[[[",
        b"\"\"\"",
        b"f\"{",
    ]);
    prop_oneof![
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), snippets).prop_map(|(at, t)| Mutation::Insert {
            at,
            text: t.to_vec()
        }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Duplicate { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                if at < end {
                    let piece = bytes[at..end].to_vec();
                    bytes.splice(end..end, piece);
                }
            }
            Mutation::Insert { at, text } => {
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, text.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_next_to_a_model(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_tree(&[
            ("pkg/models.py".to_string(), MODEL.as_bytes().to_vec()),
            ("pkg/noise.py".to_string(), bytes),
        ])?;
    }

    #[test]
    fn arbitrary_text_with_backrefs(text in "(class |backref=|relationship\\(|\"|'|\\(|\\)|\\n|    |[a-zA-Z_]{1,8}|=|,|:|\\.){0,200}") {
        check_tree(&[
            ("pkg/models.py".to_string(), MODEL.as_bytes().to_vec()),
            ("pkg/noise.py".to_string(), text.into_bytes()),
        ])?;
    }

    #[test]
    fn mutated_model_files(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let corpus = corpus();
        prop_assume!(!corpus.is_empty());
        let original = corpus[pick.index(corpus.len())].clone();
        let damaged = mutate(original.clone(), &mutations);
        check_tree(&[
            ("app/__init__.py".to_string(), Vec::new()),
            ("app/models.py".to_string(), damaged),
            ("app/clean.py".to_string(), original),
        ])?;
    }
}
