//! Argon2 checks keep their memory (19 MiB a thread) from one check to the
//! next. A binary of its own: no other test allocates beside it.

/// This process's resident memory, in MiB.
fn resident_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:")?.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024.0
}

#[test]
fn repeated_checks_on_one_thread_do_not_grow_the_process() {
    let phc = possum_backoffice::hashing::hash_secret("SuperSecret123!");
    let grown = std::thread::spawn(move || {
        possum_backoffice::hashing::verify_secret("first", &phc);
        let after_first = resident_mib();
        for i in 0..8 {
            assert!(!possum_backoffice::hashing::verify_secret(&format!("guess {i}"), &phc));
        }
        resident_mib() - after_first
    })
    .join()
    .unwrap();
    // Allocated per check, each 19 MiB buffer stayed with the process: 8 checks grew it by 150 MB.
    assert!(grown < 10.0, "8 more checks grew the process by {grown:.0} MiB");
}
