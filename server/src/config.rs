//! The server's configuration: one typed struct, each setting a flag with an environment twin.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;

#[derive(Debug, Parser)]
#[command(
    name = "spinneret",
    version,
    about = "Multi-cloud infrastructure control plane"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for serving when no subcommand is given.
    #[command(flatten)]
    pub serve: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the REST API and the AdminWeb (the default).
    Serve(Config),
    /// The client's groups: `spinneret <group> <verb>` against a running server.
    #[command(flatten)]
    Client(spinneret_cli::Command),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value.to_owned()))
}

/// Everything `spinneret serve` needs. `Debug` shows no secret.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "SPINNERET_ADDR", default_value = "0.0.0.0:1024")]
    pub addr: SocketAddr,

    /// Directory for the SQLite database and the generated master key.
    #[arg(long, env = "SPINNERET_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database URL; overrides the SQLite file, e.g. postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Admin account name, created or updated at start.
    #[arg(long, env = "SPIDER_USERNAME", default_value = "admin")]
    pub admin_username: String,

    /// Admin password. Without it, a first start generates one and prints it once.
    #[arg(long, env = "SPIDER_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub admin_password: Option<SecretString>,

    /// Credential encryption key: 32 bytes, base64. Without it, a key is generated once into
    /// the data directory (mode 0600) and reused.
    #[arg(long, env = "SPINNERET_MASTER_KEY", hide_env_values = true, value_parser = secret)]
    pub master_key: Option<SecretString>,

    /// How many CSP API call records to keep; older ones are deleted.
    #[arg(long, env = "SPINNERET_CALL_HISTORY_LIMIT", default_value_t = spinneret_core::history::DEFAULT_RETENTION)]
    pub call_history_limit: u64,

    /// How long each transitional VM state (Creating, Suspending, ...) lasts in the mock cloud,
    /// in milliseconds. 0 answers at once (tests); a second or two lets the AdminWeb show them.
    #[arg(long, env = "SPINNERET_MOCK_TRANSITION_MS", default_value_t = 1500)]
    pub mock_transition_ms: u64,

    /// How long a replica holds a resource whose cloud operation it works, in seconds, unless
    /// it renews the hold (it does, every third of this). A replica that dies leaves its
    /// operations to be taken over once this has passed.
    #[arg(long, env = "SPINNERET_LEASE_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub lease_secs: u64,

    /// Also serve `/metrics` on this address, without credentials (e.g. 127.0.0.1:9464 for a
    /// scraper on the same host or a private network). `/metrics` on the main address always
    /// needs the admin's HTTP Basic credentials.
    #[arg(long, env = "SPINNERET_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// `text` for people, `json` for log collectors: one JSON object per line, with the
    /// request id on every line written while serving a request.
    #[arg(long, env = "SPINNERET_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Directory holding the AdminWeb's compiled assets (`pkg/`).
    #[arg(long, env = "SPINNERET_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

impl Config {
    /// The control plane's settings.
    pub fn core_options(&self) -> spinneret_core::CoreOptions {
        spinneret_core::CoreOptions {
            call_history_retention: self.call_history_limit,
            mock_transition: std::time::Duration::from_millis(self.mock_transition_ms),
            lease: std::time::Duration::from_secs(self.lease_secs),
        }
    }

    /// The database to open: `DATABASE_URL`, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("spinneret.db").display()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_spinneret_serves_with_defaults() {
        let cli = Cli::try_parse_from(["spinneret"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr.to_string(), "0.0.0.0:1024");
        assert!(
            cli.serve
                .database_url()
                .ends_with("data/spinneret.db?mode=rwc")
        );
    }

    #[test]
    fn serve_subcommand_takes_the_same_flags() {
        let cli = Cli::try_parse_from(["spinneret", "serve", "--addr", "127.0.0.1:0"]).unwrap();
        let Some(Command::Serve(config)) = cli.command else {
            panic!("serve subcommand");
        };
        assert_eq!(config.addr.port(), 0);
    }

    #[test]
    fn other_subcommands_are_the_client() {
        let cli = Cli::try_parse_from(["spinneret", "vpc", "list", "-c", "aws-1"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Client(spinneret_cli::Command::Vpc(_)))
        ));
    }

    #[test]
    fn debug_hides_secrets() {
        let cli = Cli::try_parse_from([
            "spinneret",
            "--admin-password",
            "pa55word-visible?",
            "--master-key",
            "bWFzdGVyLWtleS12aXNpYmxlPw==",
        ])
        .unwrap();
        let shown = format!("{cli:?}");
        assert!(!shown.contains("pa55word-visible?"));
        assert!(!shown.contains("bWFzdGVyLWtleS12aXNpYmxlPw=="));
    }
}
