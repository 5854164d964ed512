//! Class headers and `type(...)` calls, read from the bytes: the name of each
//! class a file defines with the last segment of each of its bases, and the
//! identifiers a run-time `type("Name", (Base, ...), {...})` call mentions.
//!
//! A lexical superset: a header inside a string or a comment counts too, and
//! nothing here knows which base is a mapped class (the index decides that
//! from the parsed file).

use super::is_ident;

/// Every line that starts (after indentation) with `class Name`, with the
/// last segment of each base between the parentheses that follow.
/// Also the names of the headers that are plain classes (see
/// [`plain_header`]), once per header.
pub(super) fn class_headers(source: &[u8]) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let mut classes: Vec<(String, Vec<String>)> = Vec::new();
    let mut plain = Vec::new();
    for at in memchr::memmem::find_iter(source, b"class") {
        // `class` at the start of a line, after indentation, then whitespace.
        let line_start = source[..at]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        if !source[line_start..at]
            .iter()
            .all(|&b| b == b' ' || b == b'\t' || b == b'\x0c')
        {
            continue;
        }
        let rest = &source[at + 5..];
        let skip = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if skip == 0 {
            continue;
        }
        let rest = &rest[skip..];
        let name_len = rest.iter().take_while(|&&b| is_ident(b)).count();
        if name_len == 0 {
            continue;
        }
        let name = String::from_utf8_lossy(&rest[..name_len]).into_owned();
        let mut bases = Vec::new();
        let after = &rest[name_len..];
        let after = &after[after
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()..];
        if plain_header(source, line_start, after) {
            plain.push(name.clone());
        }
        if after.first() == Some(&b'(') {
            // The text up to the matching parenthesis (bounded), split at
            // top-level commas; each base's last dotted segment.
            let mut depth = 0usize;
            let mut current = Vec::new();
            for &b in after.iter().take(4096) {
                match b {
                    b'(' | b'[' | b'{' => {
                        depth += 1;
                        if depth == 1 {
                            continue;
                        }
                    }
                    b')' | b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            bases.extend(last_segment(&current));
                            break;
                        }
                    }
                    b',' if depth == 1 => {
                        bases.extend(last_segment(&current));
                        current.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 1 {
                    current.push(b);
                }
            }
        }
        classes.push((name, bases));
    }
    (classes, plain)
}

/// Whether the class header starting its line at `line_start` (`after`: its
/// text after the name) is a plain class, which no registry maps: no base
/// but `object`, no keyword (`metaclass=`), and certainly no decorator — the
/// statement before it does not start with `@`, and does not end with a
/// closing bracket or hold a `#` (the end of a decorator over several lines,
/// or one with a comment, cannot be told apart from the bytes).
fn plain_header(source: &[u8], line_start: usize, after: &[u8]) -> bool {
    let bases_plain = match after.first() {
        Some(b':') => true,
        Some(b'(') => after[1..]
            .iter()
            .position(|&b| b == b')')
            .is_some_and(|end| {
                let inside = String::from_utf8_lossy(&after[1..1 + end]);
                matches!(inside.trim(), "" | "object") && !inside.contains(['(', '[', '{', '#'])
            }),
        _ => false,
    };
    bases_plain && !maybe_decorated(source, line_start)
}

/// Whether the statement before the line starting at `at` may be (the end
/// of) a decorator; blank and comment lines between are skipped.
fn maybe_decorated(source: &[u8], at: usize) -> bool {
    let line_before = |end: usize| -> (usize, &[u8]) {
        // `end` is the start of a line; the line before it, without its newline.
        let stop = end.saturating_sub(1);
        let start = source[..stop]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        (start, &source[start..stop])
    };
    let mut end = at;
    loop {
        if end == 0 {
            return false;
        }
        let (start, line) = line_before(end);
        let text = String::from_utf8_lossy(line);
        let code = text.trim();
        if code.is_empty() || code.starts_with('#') {
            end = start;
            continue;
        }
        if code.contains('#') || code.ends_with([')', ']', '}']) {
            return true;
        }
        // The first line of the statement: back over `\` continuations.
        let mut first = (start, code.to_string());
        while first.0 > 0 {
            let (s, l) = line_before(first.0);
            let t = String::from_utf8_lossy(l);
            if !t.trim_end().ends_with('\\') {
                break;
            }
            first = (s, t.trim().to_string());
        }
        return first.1.starts_with('@');
    }
}

/// `sa.orm.Model` -> `Model`; keyword arguments (`metaclass=M`) give none.
fn last_segment(text: &[u8]) -> Option<String> {
    let t = String::from_utf8_lossy(text);
    let t = t.trim();
    if t.contains('=') || t.is_empty() {
        return None;
    }
    let name = t.rsplit('.').next()?.trim();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (end > 0).then(|| name[..end].to_string())
}

/// The identifiers inside every `type(...)` call of the source (bounded,
/// parentheses balanced): a lexical superset of the bases of the classes the
/// file makes at run time.
pub(super) fn type_call_names(source: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for at in memchr::memmem::find_iter(source, b"type(") {
        if at > 0 && (is_ident(source[at - 1]) || source[at - 1] == b'.') {
            continue;
        }
        let mut depth = 0usize;
        let mut word = Vec::new();
        for &b in source[at + 4..].iter().take(4096) {
            if is_ident(b) {
                word.push(b);
                continue;
            }
            if !word.is_empty() {
                let w = String::from_utf8_lossy(&word).into_owned();
                if !out.contains(&w) {
                    out.push(w);
                }
                word.clear();
            }
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}
