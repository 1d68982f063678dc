//! Datasets: CSV files are read exactly or refused with the line at fault, and the synthetic
//! generators are deterministic by seed with the statistics they promise.
#![allow(clippy::unwrap_used)]

use std::io::Write;

use losscape::engine::data::{
    ClassData, DATASETS, DataError, Dataset, LinearData, MAX_EXAMPLES, MAX_FILE_BYTES, load_dataset,
};

fn csv(text: &str) -> Result<Dataset, DataError> {
    Dataset::from_csv_str(text)
}

fn error_line(text: &str) -> (Option<usize>, String) {
    let e = csv(text).expect_err("this CSV must be refused");
    (e.line, e.message)
}

#[test]
fn header_x_y_is_read() {
    let d = csv("x,y\n1,2\n3.5,-4e-1\n").unwrap();
    assert_eq!(d.x, vec![1.0, 3.5]);
    assert_eq!(d.y, vec![2.0, -0.4]);
}

#[test]
fn header_names_are_found_in_any_order_and_case() {
    let d = csv("id, Y ,note,X\n7,10,a,1\n8,20,b,2\n").unwrap();
    assert_eq!(d.x, vec![1.0, 2.0]);
    assert_eq!(d.y, vec![10.0, 20.0]);
}

#[test]
fn without_x_y_names_the_first_two_numeric_columns_are_used() {
    let d = csv("name,size,price\nsmall,0.5,1.2\nbig,2.5,4.0\n").unwrap();
    assert_eq!(d.x, vec![0.5, 2.5]);
    assert_eq!(d.y, vec![1.2, 4.0]);
    let d = csv("1,2,3\n4,5,6\n").unwrap();
    assert_eq!(d.x, vec![1.0, 4.0]);
    assert_eq!(d.y, vec![2.0, 5.0]);
}

#[test]
fn comments_blank_lines_spaces_and_bom_are_accepted() {
    let d = csv("\u{feff}# houses\nx,y\n\n 1 , 2 \n# more\n3,4\n\n").unwrap();
    assert_eq!(d.x, vec![1.0, 3.0]);
    assert_eq!(d.y, vec![2.0, 4.0]);
}

#[test]
fn semicolon_and_tab_separated_files_are_read() {
    for text in [
        "x;y\n1.5;2.5\n-3;4e1\n",
        "1.5;2.5\n-3;4e1\n",
        "# made in a spreadsheet\n\nid;x;y\n7;1.5;2.5\n8;-3;4e1\n",
        "x\ty\n1.5\t2.5\n-3\t4e1\n",
        "1.5\t2.5\n-3\t4e1\n",
    ] {
        let d = csv(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(d.x, vec![1.5, -3.0], "{text:?}");
        assert_eq!(d.y, vec![2.5, 40.0], "{text:?}");
    }
    // A semicolon inside a quoted header cell does not make the file semicolon separated.
    let d = csv("name,\"size; 100 m^2\",price\nsmall,0.5,1.2\n").unwrap();
    assert_eq!((d.x, d.y), (vec![0.5], vec![1.2]));
}

#[test]
fn decimal_commas_are_refused_with_their_line_never_misread() {
    for (text, line, cell) in [
        ("x;y\n1,5;2,5\n", 2, "'1,5'"),
        ("1,5;2,5\n3,5;4,5\n", 1, "'1,5'"),
        ("x;y\n1;2\n3;4\n-0,25;2\n", 4, "'-0,25'"),
        ("x\ty\n1\t2,5\n", 2, "'2,5'"),
        ("size;price\n1.234,5;2\n", 2, "'1.234,5'"),
        ("x,y\n\"1,5\",\"2,5\"\n", 2, "'1,5'"),
        ("label;x;y\na;1,5;2\n", 2, "'1,5'"),
    ] {
        let e = csv(text).expect_err("a decimal comma");
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
        assert!(e.message.contains(cell), "{text:?}: {e}");
        assert!(e.message.contains("decimal comma"), "{text:?}: {e}");
        assert!(e.message.contains("decimal points"), "{text:?}: {e}");
    }
    assert_eq!(
        csv("x;y\n1,5;2\n").unwrap_err().to_string(),
        "line 2: x is '1,5', which uses a decimal comma; save the file with decimal points (1.5)"
    );
}

#[test]
fn empty_files_are_refused() {
    for text in ["", "\n\n", "x,y\n", "# only a comment\n"] {
        let e = csv(text).expect_err("no data rows");
        assert!(e.message.contains("no data rows"), "{text:?}: {e}");
    }
}

#[test]
fn nan_and_infinite_cells_are_refused_with_their_line() {
    let (line, msg) = error_line("x,y\n1,2\n3,NaN\n");
    assert_eq!(line, Some(3));
    assert!(msg.contains("finite"), "{msg}");
    let (line, _) = error_line("x,y\n1,2\n2,3\ninf,4\n");
    assert_eq!(line, Some(4));
    // Without a header too: the very first row.
    let (line, _) = error_line("nan,1\n1,2\n");
    assert_eq!(line, Some(1));
}

#[test]
fn non_numeric_cells_are_refused_with_their_line() {
    let (line, msg) = error_line("x,y\n1,2\n3,4\n5,six\n");
    assert_eq!(line, Some(4));
    assert!(
        msg.contains("'six'") && msg.contains("not a number"),
        "{msg}"
    );
    assert_eq!(
        csv("x,y\n1,2\n5,six\n").unwrap_err().to_string(),
        "line 3: y is 'six', which is not a number"
    );
}

#[test]
fn empty_and_missing_cells_are_refused_with_their_line() {
    let (line, msg) = error_line("x,y\n1,2\n3,\n");
    assert_eq!(line, Some(3));
    assert!(msg.contains("empty"), "{msg}");
    let (line, msg) = error_line("x,y\n1,2\n3\n");
    assert_eq!(line, Some(3));
    assert!(msg.contains("missing"), "{msg}");
}

#[test]
fn line_numbers_count_comments_and_blank_lines() {
    let (line, _) = error_line("# a comment\nx,y\n\n1,2\n# another\nbad,2\n");
    assert_eq!(line, Some(6));
}

#[test]
fn a_header_naming_only_one_of_x_and_y_is_refused() {
    let (line, msg) = error_line("x,price\n1,2\n");
    assert_eq!(line, Some(1));
    assert!(msg.contains("no y column"), "{msg}");
}

#[test]
fn rows_without_two_numbers_are_refused() {
    let (line, msg) = error_line("a,b\nfoo,1\n");
    assert_eq!(line, Some(2));
    assert!(msg.contains("two numeric columns"), "{msg}");
}

#[test]
fn more_rows_than_the_limit_are_refused() {
    let mut text = String::from("x,y\n");
    for i in 0..=MAX_EXAMPLES {
        text.push_str(if i % 2 == 0 { "1,2\n" } else { "3,4\n" });
    }
    let e = csv(&text).expect_err("too many rows");
    assert_eq!(e.line, Some(MAX_EXAMPLES + 2));
    assert!(e.message.contains("too many rows"), "{e}");
}

#[test]
fn files_larger_than_the_limit_are_refused() {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(MAX_FILE_BYTES + 1).unwrap();
    let e = Dataset::from_csv_path(file.path()).expect_err("too big");
    assert!(e.message.contains("64 MiB"), "{e}");
}

#[test]
fn files_are_read_from_disk_and_errors_keep_their_line() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(file, "x,y\n1,2\n2,4\n").unwrap();
    let d = Dataset::from_csv_path(file.path()).unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(load_dataset(file.path().to_str().unwrap()).unwrap(), d);

    let mut bad = tempfile::NamedTempFile::new().unwrap();
    bad.write_all(b"x,y\n1,2\n3,\xff\xfe\n").unwrap();
    let e = Dataset::from_csv_path(bad.path()).expect_err("not UTF-8");
    assert_eq!(e.line, Some(3));

    let e = Dataset::from_csv_path("/no/such/file.csv").expect_err("missing");
    assert!(e.message.contains("cannot open"), "{e}");
}

/// Loads `path` on another thread and gives up after 20 seconds (a read that blocks fails).
#[cfg(unix)]
fn load_within_a_time_limit(path: &std::path::Path) -> Result<Dataset, DataError> {
    let (send, receive) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || send.send(Dataset::from_csv_path(&path)));
    receive
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the load must not block")
}

#[cfg(unix)]
#[test]
fn devices_pipes_and_folders_are_refused_by_name_without_reading() {
    let e = load_within_a_time_limit(std::path::Path::new("/dev/zero")).expect_err("a device");
    assert!(e.message.contains("/dev/zero"), "{e}");
    assert!(e.message.contains("a device"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    // Nobody writes to the pipe: opening it to read would wait forever.
    let e = load_within_a_time_limit(&pipe).expect_err("a named pipe");
    assert!(e.message.contains("pipe.csv"), "{e}");
    assert!(e.message.contains("named pipe"), "{e}");

    let link = dir.path().join("zeros.csv");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let e = load_within_a_time_limit(&link).expect_err("a link to a device");
    assert!(
        e.message.contains("zeros.csv") && e.message.contains("a device"),
        "{e}"
    );

    let e = load_within_a_time_limit(dir.path()).expect_err("a folder");
    assert!(e.message.contains("a folder"), "{e}");
    assert!(load_dataset(pipe.to_str().unwrap()).is_err());
}

/// A file whose size is not known in advance is still read only up to the limit.
#[test]
fn readers_are_read_only_up_to_the_limit() {
    let endless = std::io::repeat(b'1');
    let e = Dataset::from_csv_reader(endless).expect_err("too big");
    assert!(e.message.contains("64 MiB"), "{e}");
}

#[test]
fn the_bundled_house_prices_match_the_asset_file() {
    let d = load_dataset("house-prices").unwrap();
    assert_eq!(d.len(), 40);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/datasets/house-prices.csv"
    );
    assert_eq!(Dataset::from_csv_path(path).unwrap(), d);
    // Sizes 0.4..3 (100 m^2), prices positive (100k) and growing with size on average.
    assert!(d.x.iter().all(|&x| (0.4..=3.0).contains(&x)));
    assert!(d.y.iter().all(|&y| y > 0.0));
    let (slope, _, _) = least_squares(&d);
    assert!(slope > 1.0 && slope < 2.5, "slope {slope}");
}

#[test]
fn every_listed_dataset_loads() {
    for info in DATASETS {
        let d = load_dataset(info.name).unwrap();
        assert!(!d.is_empty(), "{}", info.name);
        assert_eq!(d.x.len(), d.y.len());
    }
    assert_eq!(load_dataset("LINEAR").unwrap().len(), 100);
}

#[test]
fn unknown_names_and_bad_settings_are_refused() {
    let e = load_dataset("house-prizes").expect_err("unknown");
    assert!(e.message.contains("house-prices"), "{e}");
    assert!(load_dataset("linear:m=0").is_err());
    assert!(load_dataset("linear:noise=-1").is_err());
    assert!(
        load_dataset("linear:color=red")
            .unwrap_err()
            .message
            .contains("no setting 'color'")
    );
    assert!(load_dataset("classes:m=ten").is_err());
    assert!(load_dataset("linear:m").is_err());
}

#[test]
fn generator_settings_by_name_are_applied() {
    let d = load_dataset("linear:m=30, noise=0, seed=9, slope=-1, intercept=4").unwrap();
    assert_eq!(d.len(), 30);
    for (x, y) in d.x.iter().zip(&d.y) {
        assert!((y - (4.0 - x)).abs() < 1e-12);
    }
    let c = load_dataset("classes:m=7,seed=1").unwrap();
    assert_eq!(c.len(), 7);
}

#[test]
fn generators_are_deterministic_by_seed() {
    let a = LinearData {
        seed: 5,
        ..LinearData::default()
    }
    .generate()
    .unwrap();
    let b = LinearData {
        seed: 5,
        ..LinearData::default()
    }
    .generate()
    .unwrap();
    let c = LinearData {
        seed: 6,
        ..LinearData::default()
    }
    .generate()
    .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let a = ClassData {
        seed: 5,
        ..ClassData::default()
    }
    .generate()
    .unwrap();
    let b = ClassData {
        seed: 5,
        ..ClassData::default()
    }
    .generate()
    .unwrap();
    let c = ClassData {
        seed: 6,
        ..ClassData::default()
    }
    .generate()
    .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// Slope, intercept and residual standard deviation of the least-squares line.
fn least_squares(d: &Dataset) -> (f64, f64, f64) {
    let m = d.len() as f64;
    let mx = d.x.iter().sum::<f64>() / m;
    let my = d.y.iter().sum::<f64>() / m;
    let sxy: f64 = d.x.iter().zip(&d.y).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = d.x.iter().map(|x| (x - mx) * (x - mx)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let rss: f64 =
        d.x.iter()
            .zip(&d.y)
            .map(|(x, y)| (y - slope * x - intercept).powi(2))
            .sum();
    (slope, intercept, (rss / (m - 2.0)).sqrt())
}

#[test]
fn linear_data_has_the_stated_line_and_noise() {
    let spec = LinearData {
        examples: 20_000,
        slope: 2.0,
        intercept: 1.0,
        noise: 0.5,
        x_range: [-2.0, 2.0],
        seed: 11,
    };
    let d = spec.generate().unwrap();
    assert_eq!(d.len(), 20_000);
    assert!(d.x.iter().all(|&x| (-2.0..=2.0).contains(&x)));
    let (slope, intercept, sigma) = least_squares(&d);
    // Standard errors here are about 0.003 (slope), 0.004 (intercept), 0.0025 (sigma).
    assert!((slope - 2.0).abs() < 0.02, "slope {slope}");
    assert!((intercept - 1.0).abs() < 0.02, "intercept {intercept}");
    assert!((sigma - 0.5).abs() < 0.015, "noise {sigma}");
    let mean_x = d.x.iter().sum::<f64>() / 20_000.0;
    assert!(mean_x.abs() < 0.05, "x mean {mean_x}");
}

#[test]
fn class_data_is_balanced_around_its_centers() {
    let spec = ClassData {
        examples: 20_001,
        centers: [-1.0, 2.0],
        noise: 0.8,
        seed: 3,
    };
    let d = spec.generate().unwrap();
    let ones: Vec<f64> =
        d.x.iter()
            .zip(&d.y)
            .filter(|(_, y)| **y == 1.0)
            .map(|(x, _)| *x)
            .collect();
    let zeros: Vec<f64> =
        d.x.iter()
            .zip(&d.y)
            .filter(|(_, y)| **y == 0.0)
            .map(|(x, _)| *x)
            .collect();
    assert_eq!(zeros.len(), 10_001);
    assert_eq!(ones.len(), 10_000);
    for (xs, center) in [(&zeros, -1.0), (&ones, 2.0)] {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        assert!((mean - center).abs() < 0.04, "mean {mean} vs {center}");
        assert!((sd - 0.8).abs() < 0.03, "sd {sd}");
    }
}

#[test]
fn generator_settings_are_checked() {
    assert!(
        LinearData {
            examples: 0,
            ..LinearData::default()
        }
        .generate()
        .is_err()
    );
    assert!(
        LinearData {
            examples: MAX_EXAMPLES + 1,
            ..LinearData::default()
        }
        .generate()
        .is_err()
    );
    assert!(
        LinearData {
            noise: f64::NAN,
            ..LinearData::default()
        }
        .generate()
        .is_err()
    );
    assert!(
        LinearData {
            x_range: [1.0, 1.0],
            ..LinearData::default()
        }
        .generate()
        .is_err()
    );
    assert!(
        ClassData {
            noise: -0.1,
            ..ClassData::default()
        }
        .generate()
        .is_err()
    );
    assert!(
        ClassData {
            centers: [f64::INFINITY, 0.0],
            ..ClassData::default()
        }
        .generate()
        .is_err()
    );
}

// A CSV file's contents read elsewhere (the browser build's file picker) give what reading
// the file gives: the same examples, the same messages naming the file, the same refusal
// of an empty dataset.
#[test]
fn picked_csv_bytes_read_as_the_file_does() {
    use losscape::engine::scenario::DataSource;
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "x,y\n1,2\n3,4\n".as_bytes(),
        b"x,y\n1,2\n3,oops\n",
        b"x,y\n",
        b"x,y\n1,\xff\n",
    ] {
        let path = dir.path().join("picked.csv");
        std::fs::write(&path, text).unwrap();
        let from_file = DataSource::Csv { path: path.clone() }.load();
        let from_bytes = DataSource::load_csv_bytes(&path, text.to_vec());
        assert_eq!(from_bytes, from_file, "{}", String::from_utf8_lossy(text));
    }
}
