//! A file whose name is also a dataset name is loaded, never silently shadowed by the
//! built-in dataset. (One test only: it changes the working folder of this test binary.)
#![allow(clippy::unwrap_used)]

use losscape::engine::data::load_dataset;

#[test]
fn an_existing_file_wins_over_a_built_in_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("linear"), "x,y\n1,2\n3,4\n").unwrap();
    std::fs::write(dir.path().join("linear:m=5"), "x,y\n1,2\n3,4\n5,6\n").unwrap();
    std::fs::write(dir.path().join("house-prices"), "x,y\n7,8\n").unwrap();
    std::fs::create_dir(dir.path().join("classes")).unwrap();
    let before = std::env::current_dir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();

    let linear = load_dataset("linear");
    let linear_settings = load_dataset("linear:m=5");
    let houses = load_dataset(" house-prices ");
    let classes = load_dataset("classes");
    let generated = load_dataset("linear:m=7");

    std::env::set_current_dir(before).unwrap();
    assert_eq!(linear.unwrap().x, vec![1.0, 3.0]);
    assert_eq!(linear_settings.unwrap().x, vec![1.0, 3.0, 5.0]);
    assert_eq!(houses.unwrap().y, vec![8.0]);
    // A folder is not a dataset file: the name keeps its meaning.
    assert_eq!(classes.unwrap().len(), 100);
    assert_eq!(generated.unwrap().len(), 7);
}
