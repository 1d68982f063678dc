//! Scenario files: strict reading with messages that name line and field, exact round
//! trips, lesson steps, and the bundled lessons.

use std::path::Path;

use losscape::engine::run::Run;
use losscape::engine::scenario::{BUNDLED_LESSONS, DataSource, FORMAT_VERSION, Scenario};

#[path = "common/malformed.rs"]
mod malformed;
use malformed::GOOD;

#[test]
fn a_good_file_reads() {
    let s = Scenario::from_toml(GOOD, None).expect("valid");
    assert_eq!(s.runs.len(), 2);
    assert_eq!(s.runs[1].name, "Large");
    s.problem.build(None).expect("builds");
    assert_eq!(s.runs[0].learning_rate, 0.1);
}

// Each malformed file gives its own message, with the line and field a teacher can fix.
#[test]
fn malformed_files_say_what_and_where() {
    for case in malformed::malformed() {
        let (what, text, line, needles) = (case.what, &case.text, case.line, case.needles);
        let err = Scenario::from_toml(text, None).expect_err(what);
        let message = err.to_string();
        assert_eq!(err.line, line, "{what}: {message}");
        for needle in needles {
            assert!(
                message.contains(needle),
                "{what}: `{needle}` not in: {message}"
            );
        }
    }
}

// A file that fails to open names the file; a missing file says so.
#[test]
fn load_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lesson.toml");
    std::fs::write(
        &path,
        GOOD.replace("learning_rate = 0.1", "learning_rate = -1.0"),
    )
    .expect("write");
    let err = Scenario::load(&path).expect_err("negative learning rate");
    assert_eq!(err.file.as_deref(), Some(path.as_path()));
    assert!(err.to_string().starts_with(&path.display().to_string()));
    let err = Scenario::load(&dir.path().join("missing.toml")).expect_err("missing");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

// Save then open gives the same scenario, and the same runs bit for bit.
#[test]
fn save_and_open_round_trip_exactly() {
    let mut s = Scenario::from_toml(GOOD, None).expect("valid");
    // Numbers whose shortest decimal form is long.
    s.runs[0].learning_rate = 0.1 + 0.2;
    s.runs[1].learning_rate = 1.0 / 3.0;
    s.runs[0].init = losscape::engine::run::Initialization::Manual {
        w: -std::f64::consts::PI,
        b: f64::MIN_POSITIVE,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.toml");
    s.save(&path).expect("saves");
    let back = Scenario::load(&path).expect("reads back");
    assert_eq!(back, s);
    let (a, b) = (
        s.problem.build(None).expect("builds"),
        back.problem.build(None).expect("builds"),
    );
    for (x, y) in s.runs.iter().zip(&back.runs) {
        let mut rx = Run::new(a.objective.clone(), x.clone()).expect("run");
        let mut ry = Run::new(b.objective.clone(), y.clone()).expect("run");
        rx.advance(200);
        ry.advance(200);
        let px: Vec<[u64; 2]> = rx
            .history()
            .iter()
            .map(|r| r.params.map(f64::to_bits))
            .collect();
        let py: Vec<[u64; 2]> = ry
            .history()
            .iter()
            .map(|r| r.params.map(f64::to_bits))
            .collect();
        assert_eq!(px, py);
    }
}

// What a lesson expects of its runs is saved and read back as it was.
#[test]
fn expectations_round_trip() {
    let text = format!(
        "{GOOD}\n[lesson]\ntext = \"t\"\n\
         [[lesson.expect]]\nrun = \"Large\"\noutcome = \"reaches the limit\"\nby_iteration = 500\n\
         [[lesson.steps]]\ntext = \"a\"\n[lesson.steps.apply]\n[[lesson.steps.apply.runs]]\nname = \"Small\"\nlearning_rate = 0.2\n\
         [[lesson.steps.expect]]\nrun = \"Small\"\niterations = [1, 3]\nnear = [-2.0, 1.5]\ngradient = [-4.0, 3.0]\ntolerance = 2.5\ncost_above = 0.1\ncost_below = 10.0\n\
         [[lesson.steps.expect]]\nrun = \"Small\"\nnear = [0.0, 0.0]\nfirst_near_at = 40\n"
    );
    let s = Scenario::from_toml(&text, None).expect("valid");
    let lesson = s.lesson.as_ref().expect("a lesson");
    assert_eq!(lesson.expect.len(), 1);
    assert_eq!(lesson.steps[0].expect.len(), 2);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("claims.toml");
    s.save(&path).expect("saves");
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(saved.contains("[[lesson.steps.expect]]"), "{saved}");
    assert!(saved.contains("outcome = \"reaches the limit\""), "{saved}");
    assert_eq!(Scenario::load(&path).expect("reads back"), s);
}

// A failed save leaves the previous file untouched.
#[test]
fn a_failed_save_keeps_the_old_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.toml");
    std::fs::write(&path, "old contents").expect("write");
    let s = Scenario::from_toml(GOOD, None).expect("valid");
    let bad = dir.path().join("no-such-folder").join("demo.toml");
    assert!(s.save(&bad).is_err());
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "old contents"
    );
    s.save(&path).expect("saves");
    assert_ne!(
        std::fs::read_to_string(&path).expect("read"),
        "old contents"
    );
}

// A CSV path is relative to the scenario file, on reading and on saving.
#[test]
fn csv_paths_are_relative_to_the_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("data")).expect("mkdir");
    std::fs::write(dir.path().join("data/points.csv"), "x,y\n1,2\n2,4\n3,6.5\n").expect("csv");
    let text =
        "version = 1\n[problem.data]\ndataset = { kind = \"csv\", path = \"data/points.csv\" }\n";
    let path = dir.path().join("fit.toml");
    std::fs::write(&path, text).expect("write");
    let s = Scenario::load(&path).expect("reads");
    let Some(DataSource::Csv { path: csv }) = s.problem.data.as_ref().map(|d| &d.dataset) else {
        panic!("a csv dataset");
    };
    assert_eq!(csv, &dir.path().join("data/points.csv"));
    let copy = dir.path().join("copy.toml");
    s.save(&copy).expect("saves");
    let saved = std::fs::read_to_string(&copy).expect("read");
    assert!(saved.contains("path = \"data/points.csv\""), "{saved}");
    // A bad line in the CSV is reported with the CSV's own line.
    std::fs::write(dir.path().join("data/points.csv"), "x,y\n1,2\n2,oops\n").expect("csv");
    let err = Scenario::load(&path).expect_err("bad csv");
    assert!(err.to_string().contains("line 3"), "{err}");
}

// Steps change runs by name, add new ones, and leave everything else as it was.
#[test]
fn steps_merge_by_run_name() {
    let text = format!(
        "{GOOD}\n[lesson]\ntext = \"t\"\n\
         [[lesson.steps]]\ntext = \"faster\"\n[lesson.steps.apply]\nview = {{ mode = \"3d\" }}\n\
         [[lesson.steps.apply.runs]]\nname = \"Small\"\nlearning_rate = 0.3\n\
         [[lesson.steps.apply.runs]]\nname = \"Adam\"\nlearning_rate = 0.2\noptimizer = {{ rule = \"adam\" }}\n\
         [[lesson.steps]]\ntext = \"less\"\n[lesson.steps.apply]\nremove_runs = [\"Large\"]\n"
    );
    let s = Scenario::from_toml(&text, None).expect("valid");
    let one = s.with_step(0).expect("applies");
    assert_eq!(one.runs.len(), 3);
    assert_eq!(one.runs[0].learning_rate, 0.3);
    assert_eq!(one.runs[0].init, s.runs[0].init, "unchanged fields stay");
    assert_eq!(one.runs[1], s.runs[1]);
    assert_eq!(one.runs[2].name, "Adam");
    assert_eq!(
        one.view.mode,
        losscape::engine::scenario::ViewMode::Surface3d
    );
    assert_eq!(one.view.levels, s.view.levels);
    assert_eq!(one.lesson, s.lesson);
    let two = s.with_step(1).expect("applies");
    assert_eq!(two.runs.len(), 1);
    assert!(s.with_step(2).is_err());
}

// Every bundled lesson reads, builds, applies each of its steps, and runs 200 iterations
// of every run without an error.
#[test]
fn bundled_lessons_load_and_run() {
    assert!(
        BUNDLED_LESSONS.len() >= 10,
        "at least ten lessons ship, found {}",
        BUNDLED_LESSONS.len()
    );
    let mut numbers = Vec::new();
    for lesson in BUNDLED_LESSONS {
        let s = Scenario::from_toml(lesson.text, None)
            .unwrap_or_else(|e| panic!("{}: {e}", lesson.file_name));
        assert_eq!(s.version, FORMAT_VERSION);
        assert!(s.title.is_some(), "{} has a title", lesson.file_name);
        let text = s.lesson.as_ref().expect("a lesson");
        assert!(
            (2..=4).contains(&text.steps.len()),
            "{}: two to four steps",
            lesson.file_name
        );
        numbers.push(text.number.expect("numbered"));
        // The start, then each step applied in order on top of the ones before (as a class
        // following the lesson does).
        let mut versions = vec![s.clone()];
        for i in 0..text.steps.len() {
            let next = versions[i].with_step(i).expect("step applies");
            versions.push(next);
        }
        for version in versions {
            let built = version.problem.build(None).expect("builds");
            assert!(!version.runs.is_empty(), "{} has runs", lesson.file_name);
            for settings in &version.runs {
                let mut run = Run::new(built.objective.clone(), settings.clone()).expect("run");
                run.advance(200);
                assert!(run.iteration() > 0, "{} moved", lesson.file_name);
            }
        }
        // The file names follow the teaching order.
        assert!(
            lesson
                .file_name
                .starts_with(&format!("{:02}-", numbers.last().copied().unwrap_or(0))),
            "{} is numbered {:?}",
            lesson.file_name,
            numbers.last()
        );
    }
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(numbers, sorted, "lessons are listed in order");
}

// What a lesson's text says its runs do is checked (`losscape check --lessons`): every step
// whose text gives a number has expectations, so a new claim cannot go unchecked.
#[test]
fn lesson_steps_with_numbers_have_expectations() {
    for lesson in BUNDLED_LESSONS {
        let s = Scenario::from_toml(lesson.text, None).expect("reads");
        let steps = s.lesson.as_ref().map_or(&[][..], |l| &l.steps[..]);
        for (i, step) in steps.iter().enumerate() {
            if step.text.chars().any(|c| c.is_ascii_digit()) {
                assert!(
                    !step.expect.is_empty(),
                    "{}, step {}: its text states numbers, but it expects nothing",
                    lesson.file_name,
                    i + 1
                );
            }
        }
    }
}

// The bundled files on disk are the ones built in (nothing is left out of the list).
#[test]
fn every_lesson_file_is_bundled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("assets/scenarios")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = BUNDLED_LESSONS
        .iter()
        .map(|l| l.file_name.to_owned())
        .collect();
    bundled.sort();
    assert_eq!(on_disk, bundled);
}

// Every rule, by name and with all its options changed from torch's defaults, reads from a
// scenario file, saves, reopens identically and runs the same.
#[test]
fn every_rule_reads_saves_and_reopens() {
    use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
    let tables = [
        "{ rule = \"sgd\", momentum = 0.5, dampening = 0.1, weight_decay = 0.01 }",
        "{ rule = \"momentum\", momentum = 0.8, nesterov = true, weight_decay = 0.01 }",
        "{ rule = \"asgd\", lambd = 1e-3, alpha = 0.5, t0 = 10.0, weight_decay = 0.01 }",
        "{ rule = \"adagrad\", lr_decay = 0.01, initial_accumulator_value = 0.1, eps = 1e-9 }",
        "{ rule = \"rmsprop\", alpha = 0.9, eps = 1e-7, momentum = 0.5, centered = true }",
        "{ rule = \"adadelta\", rho = 0.8, eps = 1e-5, weight_decay = 0.01 }",
        "{ rule = \"adamax\", beta1 = 0.8, beta2 = 0.99, eps = 1e-7, weight_decay = 0.01 }",
        "{ rule = \"nadam\", beta1 = 0.8, momentum_decay = 0.01, weight_decay = 0.01, decoupled_weight_decay = true }",
        "{ rule = \"radam\", beta2 = 0.99, weight_decay = 0.01, decoupled_weight_decay = true }",
        "{ rule = \"adafactor\", beta2_decay = -0.5, eps1 = 1e-20, eps2 = 1e-2, d = 2.0, weight_decay = 0.01 }",
        "{ rule = \"rprop\", eta_minus = 0.4, eta_plus = 1.3, step_size_min = 1e-5, step_size_max = 1.0 }",
        "{ rule = \"lbfgs\", max_iter = 5, max_eval = 9, history_size = 3, tolerance_grad = 1e-9, tolerance_change = 1e-11, line_search_fn = \"strong_wolfe\" }",
        "{ rule = \"gd-armijo\", shrink = 0.3, c1 = 0.01 }",
    ];
    let names = OptimizerKind::ALL.map(|k| format!("\"{}\"", k.name()));
    let dir = tempfile::tempdir().expect("temp dir");
    for optimizer in tables.iter().map(|t| t.to_string()).chain(names) {
        let text = GOOD.replacen(
            "learning_rate = 0.1",
            &format!("optimizer = {optimizer}\nlearning_rate = 0.1"),
            1,
        );
        let s =
            Scenario::from_toml(&text, None).unwrap_or_else(|e| panic!("{optimizer}: {e}\n{text}"));
        if optimizer.starts_with('{') {
            assert_ne!(
                s.runs[0].optimizer,
                OptimizerSettings::default_for(s.runs[0].optimizer.kind()),
                "{optimizer}: options were read"
            );
        }
        let path = dir.path().join("rule.toml");
        s.save(&path).expect("saves");
        let back = Scenario::load(&path).expect("reopens");
        assert_eq!(back, s, "{optimizer}");
        let problem = s.problem.build(None).expect("builds");
        let mut run = Run::new(problem.objective.clone(), s.runs[0].clone()).expect("runs");
        run.advance(30);
        assert!(run.history().len() > 1, "{optimizer}: the run moved");
    }
}
