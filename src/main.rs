//! The `specsite` command: parses arguments and hands over to [`specsite::cli`].

// A build allocates many short-lived strings on every core (views, template values);
// mimalloc's per-thread heaps cost a fraction of the system allocator's time there and
// fragment less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(specsite::cli::run(std::env::args_os()));
}
