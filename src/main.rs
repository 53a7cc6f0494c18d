use std::process::ExitCode;

fn main() -> ExitCode {
    k2s::cli::completions::complete_if_asked();
    let cli = k2s::cli::args::Cli::parse_with_env();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("k2s: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(k2s::cli::run(cli))
}
