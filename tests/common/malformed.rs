//! Scenario files shared by the engine and app tests: a good one, and a table of broken
//! ones with the line and words each error must give.

/// A small valid scenario to break in the table below.
pub const GOOD: &str = r#"version = 1
title = "Learning rate"

[problem]
preset = "bowl"

[[runs]]
name = "Small"
learning_rate = 0.1
init = { kind = "manual", w = -2.5, b = 2.0 }

[[runs]]
name = "Large"
optimizer = { rule = "momentum", momentum = 0.8 }
learning_rate = 0.5
"#;

/// One broken file: what is wrong, the text, the line the error must name, and words the
/// message must contain.
pub struct Malformed {
    /// What is wrong with it.
    pub what: &'static str,
    /// The file's text.
    pub text: String,
    /// The line the error names.
    pub line: Option<usize>,
    /// Words the message contains.
    pub needles: &'static [&'static str],
}

/// The table of broken files.
pub fn malformed() -> Vec<Malformed> {
    let cases: Vec<(&'static str, String, Option<usize>, &'static [&'static str])> =
    vec![
        (
            "syntax error",
            "version = 1\n[problem\npreset = \"bowl\"\n".to_owned(),
            Some(2),
            &["unclosed table"],
        ),
        (
            "wrong type",
            GOOD.replace("learning_rate = 0.1", "learning_rate = \"fast\""),
            Some(9),
            &["runs #1.learning_rate", "expected"],
        ),
        (
            "unknown optimizer",
            GOOD.replace("rule = \"momentum\"", "rule = \"adamm\""),
            Some(14),
            &["runs #2.optimizer", "unknown variant `adamm`", "adam"],
        ),
        (
            "unknown field",
            GOOD.replace(
                "learning_rate = 0.5",
                "learning_rate = 0.5\nlerning_rate = 0.5",
            ),
            Some(16),
            &["unknown field `lerning_rate`", "learning_rate"],
        ),
        (
            "missing dataset file",
            "version = 1\n[problem.data]\ndataset = { kind = \"csv\", path = \"no-such-file.csv\" }\n".to_owned(),
            Some(3),
            &["problem.data.dataset", "no-such-file.csv", "does not exist"],
        ),
        (
            "newer version",
            GOOD.replace("version = 1", "version = 2"),
            Some(1),
            &["newer losscape", "format version 2", "Update losscape"],
        ),
        (
            "negative learning rate",
            GOOD.replace("learning_rate = 0.1", "learning_rate = -0.1"),
            Some(9),
            &["runs #1.learning_rate", "-0.1"],
        ),
        (
            "batch size 0",
            GOOD.replace("learning_rate = 0.1", "learning_rate = 0.1\nbatch_size = 0"),
            Some(10),
            &["runs #1.batch_size", "at least 1"],
        ),
        (
            "no version",
            GOOD.replace("version = 1\n", ""),
            None,
            &["version = 1"],
        ),
        (
            "bad formula",
            "version = 1\n[problem]\nformula = \"w^2 + * b\"\n".to_owned(),
            Some(3),
            &["problem.formula"],
        ),
        (
            "unknown preset",
            "version = 1\n[problem]\npreset = \"bowll\"\n".to_owned(),
            Some(3),
            &["problem.preset", "bowll", "rosenbrock"],
        ),
        (
            "duplicate run names",
            GOOD.replace("name = \"Large\"", "name = \"Small\""),
            Some(13),
            &["runs #2.name", "two runs are named `Small`"],
        ),
        (
            "selected run missing",
            format!("{GOOD}\n[playback]\nselected_run = \"Huge\"\n"),
            Some(18),
            &["playback.selected_run", "Huge"],
        ),
        (
            "unknown details section",
            format!("{GOOD}\n[view]\ndetails_sections = {{ slices = false, inspektor = false }}\n"),
            Some(18),
            &["view.details_sections", "unknown field `inspektor`", "inspector"],
        ),
        (
            "bad step",
            format!(
                "{GOOD}\n[lesson]\ntext = \"t\"\n[[lesson.steps]]\ntext = \"a\"\n[[lesson.steps]]\ntext = \"b\"\n[lesson.steps.apply]\n[[lesson.steps.apply.runs]]\nname = \"Small\"\nlearning_rate = -3.0\n"
            ),
            Some(26),
            &["lesson.steps #2.apply.runs #1.learning_rate", "-3"],
        ),
        (
            "an expectation about a run the step does not have",
            format!(
                "{GOOD}\n[lesson]\ntext = \"t\"\n[[lesson.steps]]\ntext = \"a\"\n[[lesson.steps.expect]]\nrun = \"Medium\"\nnear = [0.0, 0.0]\n"
            ),
            Some(22),
            &["lesson.steps #1.expect #1.run", "no run named `Medium`", "Small, Large"],
        ),
        (
            "an outcome that is not one",
            format!(
                "{GOOD}\n[lesson]\ntext = \"t\"\n[[lesson.expect]]\nrun = \"Small\"\noutcome = \"converged\"\n"
            ),
            Some(21),
            &["lesson.expect #1.outcome", "`converges`", "`reaches the limit`"],
        ),
        // Unknown or inapplicable fields inside inline tables are refused, naming them.
        (
            "a start with a field its kind does not have",
            GOOD.replace(
                "init = { kind = \"manual\", w = -2.5, b = 2.0 }",
                "init = { kind = \"zero\", w = 1.0 }",
            ),
            Some(10),
            &["runs #1.init", "unknown field `w`"],
        ),
        (
            "newton with weight decay",
            GOOD.replace(
                "{ rule = \"momentum\", momentum = 0.8 }",
                "{ rule = \"newton\", weight_decay = 0.1 }",
            ),
            Some(14),
            &["runs #2.optimizer", "unknown field `weight_decay`"],
        ),
        (
            "bundled dataset with a path",
            "version = 1\n[problem.data]\ndataset = { kind = \"house-prices\", path = \"x.csv\" }\n".to_owned(),
            Some(3),
            &["problem.data.dataset", "unknown field `path`"],
        ),
        (
            "schedule with a parameter it does not have",
            GOOD.replace(
                "learning_rate = 0.5",
                "learning_rate = 0.5\nschedule = { kind = \"exponential\", gamma = 0.9, step_size = 3 }",
            ),
            Some(16),
            &["runs #2.schedule", "unknown field `step_size`"],
        ),
        (
            "a schedule error names the schedule's line",
            GOOD.replace(
                "learning_rate = 0.5",
                "learning_rate = 0.5\nschedule = { kind = \"step\", step_size = 0, gamma = 0.5 }",
            ),
            Some(16),
            &["runs #2.schedule", "step size"],
        ),
        (
            "the same constant twice",
            "version = 1\n[problem]\nformula = \"a*w^2 + b^2\"\nconstants = [{ name = \"a\", value = 1.0 }, { name = \"a\", value = 2.0 }]\n".to_owned(),
            Some(4),
            &["problem.constants #2", "twice"],
        ),
        (
            "a preset and a different formula",
            "version = 1\n[problem]\npreset = \"bowl\"\nformula = \"w^2\"\n".to_owned(),
            Some(4),
            &["problem.formula", "not preset `bowl`'s"],
        ),
        (
            "a preset and a data fit",
            "version = 1\n[problem]\npreset = \"bowl\"\n[problem.data]\nmodel = \"w*x + b\"\n".to_owned(),
            Some(5),
            &["problem.data.model", "not preset `bowl`'s"],
        ),
        (
            "a run without a name",
            GOOD.replace("name = \"Small\"", "name = \"\""),
            Some(8),
            &["runs #1.name", "needs a name"],
        ),
        (
            "zero contour levels",
            format!("{GOOD}\n[view]\nlevels = 0\n"),
            Some(18),
            &["view.levels", "between 1 and 100"],
        ),
        (
            "nesterov without momentum",
            GOOD.replace(
                "{ rule = \"momentum\", momentum = 0.8 }",
                "{ rule = \"nesterov\", momentum = 0.0 }",
            ),
            Some(14),
            &["runs #2.optimizer", "momentum"],
        ),
        (
            "a reversed domain",
            "version = 1\n[problem]\nformula = \"w^2 + b^2\"\ndomain = { w_min = 5.0, w_max = 2.0, b_min = -1.0, b_max = 1.0 }\n".to_owned(),
            Some(4),
            &["problem.domain", "w_min (5) must be smaller than w_max (2)"],
        ),
    ];
    cases
        .into_iter()
        .map(|(what, text, line, needles)| Malformed {
            what,
            text,
            line,
            needles,
        })
        .collect()
}
