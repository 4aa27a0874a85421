use clap::{CommandFactory, Parser};
use spinneret_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
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
