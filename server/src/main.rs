use clap::{CommandFactory, Parser};
use spinneret_server::config::{Cli, Command};

/// glibc raises its mmap threshold to the size of a freed mapped block, so after the first
/// argon2id password check its 19 MiB working memory comes from the heap and stays resident:
/// that was two thirds of the idle RSS (`bench/results/memory.md`). A fixed threshold keeps
/// large blocks mapped, and freeing one returns it to the system.
#[cfg(target_env = "gnu")]
fn keep_large_allocations_mapped() {
    const THRESHOLD: libc::c_int = 128 * 1024;
    // SAFETY: mallopt only sets an allocator parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
    }
}

#[cfg(not(target_env = "gnu"))]
fn keep_large_allocations_mapped() {}

fn main() -> std::process::ExitCode {
    keep_large_allocations_mapped();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
        .block_on(run())
}

async fn run() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match cli.command {
        Some(Command::Serve(config)) => config,
        None => cli.serve,
        // The client logs nothing: its output is the server's answers and its own errors.
        Some(Command::Client(command)) => return spinneret_cli::run(command, Cli::command()).await,
    };
    spinneret_server::init_logging(config.log_format);
    match spinneret_server::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = ?err, "spinneret stopped: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
