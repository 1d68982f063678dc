//! Every dependency in Cargo.toml is used by the code: an unused one only costs build time.

/// The crate names of the `[dependencies]` table, as code spells them (`-` becomes `_`).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == "[dependencies]";
        } else if inside && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                names.push(name.replace('-', "_"));
            }
        }
    }
    names
}

/// The text of every `.rs` file under `dir`.
fn sources(dir: &std::path::Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

#[test]
fn every_dependency_is_used() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let names = dependencies(&manifest);
    assert!(
        names.len() >= 10 && names.iter().any(|n| n == "serde"),
        "{names:?}"
    );
    let mut code = String::new();
    sources(&root.join("src"), &mut code);
    let unused: Vec<&String> = names
        .iter()
        .filter(|n| !code.contains(&format!("{n}::")))
        .collect();
    assert!(
        unused.is_empty(),
        "declared but never used in src/: {unused:?}"
    );
}
