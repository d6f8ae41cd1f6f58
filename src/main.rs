//! The `specsite` command: parses arguments and hands over to [`specsite::driver::cli`].

// A build allocates many short-lived strings on every core (views, template values);
// mimalloc's per-thread heaps cost a fraction of the system allocator's time there and
// fragment less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // mimalloc asks for transparent huge pages, which the kernel fills and zeroes 2 MB
    // at a time: on a build that made peak memory half as large again (measured with
    // `scripts/bench.sh`) for no speed gain. Failing to opt out is harmless.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    std::process::exit(specsite::driver::cli::run(std::env::args_os()));
}
