//! The README's scenario examples are true: each reads as it is, and each commented field
//! read again uncommented (in place of the field of the same name in its table).

use losscape::engine::scenario::Scenario;

/// The TOML blocks of the README's "Scenario files" section.
fn examples() -> Vec<String> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("### Scenario files")
        .expect("the section exists");
    let section = &readme[start..];
    let end = section.find("\n## ").unwrap_or(section.len());
    section[..end]
        .split("```toml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or("").to_owned())
        .collect()
}

/// `# key = value` lines: a field that may be added.
fn commented_field(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("# ")?;
    let (key, _) = rest.split_once(" = ")?;
    key.chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
        .then_some(rest)
}

/// The example with line `at` uncommented, replacing its table's field of the same name.
fn uncommented(text: &str, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let field = commented_field(lines[at]).expect("a commented field");
    let key = format!("{} = ", field.split_once(" = ").map_or("", |(k, _)| k));
    let table_start = (0..at)
        .rev()
        .find(|&i| lines[i].starts_with('['))
        .unwrap_or(0);
    let table_end = (at + 1..lines.len())
        .find(|&i| lines[i].starts_with('['))
        .unwrap_or(lines.len());
    lines
        .iter()
        .enumerate()
        .filter(|&(i, l)| i == at || !(i > table_start && i < table_end && l.starts_with(&key)))
        .map(|(i, l)| if i == at { field } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_and_every_commented_field_reads() {
    let examples = examples();
    assert_eq!(examples.len(), 2, "the section has its two examples");
    let mut tried = 0;
    for example in &examples {
        if let Err(e) = Scenario::from_toml(example, None) {
            panic!("the example does not read: {e}\n{example}");
        }
        for (i, line) in example.lines().enumerate() {
            if commented_field(line).is_none() {
                continue;
            }
            let text = uncommented(example, i);
            if let Err(e) = Scenario::from_toml(&text, None) {
                panic!("`{line}` uncommented does not read: {e}");
            }
            tried += 1;
        }
    }
    assert!(tried >= 25, "only {tried} commented fields");
}
