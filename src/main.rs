use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = k2s::cli::args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("k2s: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(k2s::cli::run(cli))
}
