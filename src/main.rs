//! The `specsite` command: parses arguments and hands over to [`specsite::cli`].

fn main() {
    std::process::exit(specsite::cli::run(std::env::args_os()));
}
