//! The `spinneret` command-line client: `spinneret <group> <verb>` against the REST API of a
//! Spinneret (or CB-Spider) server. The server crate's binary parses these commands beside
//! `serve` and hands them to [`run`].

mod args;
mod body;
mod client;
mod commands;
mod error;
mod kinds;
mod output;
mod progress;
mod rule;
mod session;
mod vm;

use std::process::ExitCode;

pub use args::Command;
use error::Error;

/// Runs one client command and prints any error on stderr. Exit status: 0 done, 1 the server
/// refused or failed, 2 bad usage (as clap's own), 3 the server could not be reached.
/// `top` is the binary's whole command, which `completions` describes.
pub async fn run(command: Command, top: clap::Command) -> ExitCode {
    match execute(command, top).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

async fn execute(command: Command, mut top: clap::Command) -> Result<(), Error> {
    use commands::{catalog, registry, resource};
    match command {
        Command::Driver(group) => registry(&kinds::DRIVER, group).await,
        Command::Credential(group) => registry(&kinds::CREDENTIAL, group).await,
        Command::Region(group) => registry(&kinds::REGION, group).await,
        Command::Connection(group) => registry(&kinds::CONNECTION, group).await,
        Command::Image(group) => catalog(&kinds::IMAGE, group).await,
        Command::Vmspec(group) => catalog(&kinds::VMSPEC, group).await,
        Command::Vpc(group) => resource(&kinds::VPC, group).await,
        Command::Subnet(group) => commands::subnet(group).await,
        Command::Securitygroup(group) => resource(&kinds::SECURITY_GROUP, group).await,
        Command::Rule(group) => commands::rule(group).await,
        Command::Keypair(group) => resource(&kinds::KEYPAIR, group).await,
        Command::Vm(group) => vm::vm(group).await,
        Command::Calllog(group) => commands::calllog(group).await,
        Command::Health(global) => commands::health(global).await,
        Command::Completions { shell } => {
            let name = top.get_name().to_owned();
            clap_complete::generate(shell, &mut top, name, &mut std::io::stdout());
            Ok(())
        }
    }
}
