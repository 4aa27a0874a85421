//! The client's command tree, `spinneret <group> <verb>`, as clap parses it.

use std::time::Duration;

use clap::{Args, Subcommand};
use clap_complete::Shell;
use reqwest::Url;
use secrecy::SecretString;
use serde_json::Value;

use crate::body::{KeyValue, SubnetSpec};
use crate::output::Format;
use crate::rule::Rule;

/// Every client command: a group of records and its verbs, or `completions`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cloud drivers (registry records).
    Driver(Registry<DriverFields>),
    /// Cloud account credentials; their values are never shown back.
    Credential(Registry<KeyedFields>),
    /// Cloud regions and zones.
    Region(Registry<KeyedFields>),
    /// Connection configs: a driver, a credential and a region.
    Connection(Registry<ConnectionFields>),
    /// The images a connection offers.
    Image(Scoped<CatalogVerb>),
    /// The VM specs a connection offers.
    Vmspec(Scoped<CatalogVerb>),
    /// VPCs (virtual networks).
    Vpc(Scoped<ResourceVerb<VpcFields>>),
    /// The subnets of a VPC.
    Subnet(Scoped<SubnetVerb>),
    /// Security groups (firewalls).
    #[command(visible_alias = "sg")]
    Securitygroup(Scoped<ResourceVerb<SecurityGroupFields>>),
    /// The rules of a security group.
    Rule(Scoped<RuleVerb>),
    /// SSH key pairs.
    Keypair(Scoped<ResourceVerb<KeyPairFields>>),
    /// Virtual machines and their lifecycle.
    Vm(Scoped<VmVerb>),
    /// The history of calls to the clouds' own APIs.
    Calllog(Scoped<CalllogVerb>),
    /// Whether the server is up, and its version.
    Health(Global),
    /// Print a shell completion script.
    ///
    /// E.g. `spinneret completions bash > ~/.local/share/bash-completion/completions/spinneret`.
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
}

/// How to reach the server and how to show its answers; given anywhere after the group.
#[derive(Debug, Args)]
#[command(next_help_heading = GLOBAL)]
pub struct Global {
    /// The server's URL, with its scheme (http or https).
    #[arg(
        short,
        long,
        global = true,
        env = "SPINNERET_SERVER",
        hide_env_values = true,
        default_value = "http://localhost:1024",
        value_parser = server_url
    )]
    pub server: Url,

    /// The account to sign in with (HTTP Basic).
    #[arg(
        short,
        long,
        global = true,
        env = "SPIDER_USERNAME",
        default_value = "admin"
    )]
    pub username: String,

    /// Its password; prefer the environment variable, since a flag shows in the process list.
    #[arg(short, long, global = true, env = "SPIDER_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub password: Option<SecretString>,

    /// Output format [default: table on a terminal, json otherwise].
    #[arg(short, long, global = true, value_enum)]
    pub output: Option<Format>,
}

/// The help heading of the flags every verb of a group takes, listed after the verb's own.
const GLOBAL: &str = "Global options";

fn server_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|err| format!("'{text}' is not a URL: {err}"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        _ => Err(format!(
            "'{text}' needs a scheme: http:// or https://, e.g. http://localhost:1024"
        )),
    }
}

fn secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text.to_owned()))
}

/// A group of registry records: no connection involved.
#[derive(Debug, Args)]
pub struct Registry<F: Args> {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub verb: RegistryVerb<F>,
}

/// A group of one connection's resources.
#[derive(Debug, Args)]
pub struct Scoped<V: Subcommand> {
    #[command(flatten)]
    pub global: Global,
    /// The connection config to work in.
    #[arg(short, long, global = true, env = "SPINNERET_CONNECTION", help_heading = GLOBAL)]
    pub connection: Option<String>,
    #[command(subcommand)]
    pub verb: V,
}

#[derive(Debug, Subcommand)]
pub enum RegistryVerb<F: Args> {
    /// Register one, or update it if the name exists.
    #[command(visible_alias = "create")]
    Register(Create<F>),
    /// List them.
    List {
        /// Only those of this provider, e.g. AWS.
        #[arg(long)]
        provider: Option<String>,
    },
    /// Show one.
    Get(Named),
    /// Unregister one.
    #[command(visible_alias = "delete")]
    Unregister(Named),
}

#[derive(Debug, Subcommand)]
pub enum ResourceVerb<F: Args> {
    /// Create one.
    Create(Create<F>),
    /// List them.
    List,
    /// Show one.
    Get(Named),
    /// Delete one.
    Delete(Delete),
}

#[derive(Debug, Subcommand)]
pub enum CatalogVerb {
    /// List them.
    List,
    /// Show one.
    Get(Named),
}

#[derive(Debug, Subcommand)]
pub enum SubnetVerb {
    /// Add a subnet to a VPC.
    #[command(visible_alias = "add")]
    Create {
        #[command(flatten)]
        vpc: InVpc,
        #[command(flatten)]
        create: Create<SubnetFields>,
    },
    /// List a VPC's subnets.
    List {
        #[command(flatten)]
        vpc: InVpc,
    },
    /// Show one.
    Get {
        #[command(flatten)]
        vpc: InVpc,
        #[command(flatten)]
        named: Named,
    },
    /// Remove a subnet from its VPC.
    #[command(visible_alias = "remove")]
    Delete {
        #[command(flatten)]
        vpc: InVpc,
        #[command(flatten)]
        delete: Delete,
    },
}

#[derive(Debug, Args)]
pub struct InVpc {
    /// The VPC the subnet belongs to.
    #[arg(long)]
    pub vpc: String,
}

#[derive(Debug, Subcommand)]
pub enum RuleVerb {
    /// Add rules to a security group.
    #[command(visible_alias = "create")]
    Add(RuleChange),
    /// List a security group's rules.
    List {
        /// The security group.
        security_group: String,
    },
    /// Remove rules from a security group.
    #[command(visible_alias = "delete")]
    Remove(RuleChange),
}

#[derive(Debug, Args)]
pub struct RuleChange {
    /// The security group.
    pub security_group: String,
    /// A rule as PROTOCOL/PORTS[/CIDR][/DIRECTION], e.g. tcp/22/0.0.0.0/0/inbound; repeat for more.
    #[arg(long = "rule", value_name = "RULE", required_unless_present = "data")]
    pub rules: Vec<Rule>,
    #[command(flatten)]
    pub data: Data,
}

#[derive(Debug, Subcommand)]
pub enum VmVerb {
    /// Start (create) a VM; the server answers once it is Running.
    #[command(visible_alias = "create")]
    Start {
        #[command(flatten)]
        create: Create<VmFields>,
        #[command(flatten)]
        wait: Wait,
    },
    /// List the VMs.
    List {
        /// Refresh the list until Ctrl-C.
        #[arg(long)]
        watch: bool,
        /// Seconds between refreshes.
        #[arg(long, default_value = "2", value_parser = seconds, requires = "watch")]
        interval: Duration,
    },
    /// Show one.
    Get(Named),
    /// Show a VM's status, or every VM's.
    Status {
        /// The VM; all of them when left out.
        name: Option<String>,
    },
    /// Suspend a Running VM.
    Suspend(Control),
    /// Resume a Suspended VM.
    Resume(Control),
    /// Reboot a Running VM.
    Reboot(Control),
    /// Terminate (delete) a VM.
    #[command(visible_alias = "delete")]
    Terminate {
        #[command(flatten)]
        delete: Delete,
        #[command(flatten)]
        wait: Wait,
    },
}

fn seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!("'{text}' is not a positive number of seconds")),
    }
}

#[derive(Debug, Args)]
pub struct Control {
    /// The VM.
    pub name: String,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct Wait {
    /// Show the VM's status as it changes, until it settles.
    #[arg(short, long)]
    pub wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum CalllogVerb {
    /// List the calls, newest first (of the -c connection when given).
    List(CallFilter),
    /// Count the calls per cloud API, with error counts and latencies.
    Stats(CallFilter),
}

#[derive(Debug, Args)]
pub struct CallFilter {
    /// Only calls about this kind of resource, e.g. VM.
    #[arg(long)]
    pub resource_type: Option<String>,
    /// Only calls about this resource.
    #[arg(long)]
    pub resource_name: Option<String>,
    /// Only calls of this cloud API, e.g. RunInstances.
    #[arg(long)]
    pub api: Option<String>,
    /// Only failed calls.
    #[arg(long)]
    pub errors_only: bool,
    /// Only calls at or after this time (RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Only calls before this time (RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many calls [server default: 100].
    #[arg(long)]
    pub limit: Option<u32>,
}

/// A create: the name, the group's flags and `-d`.
#[derive(Debug, Args)]
// Without a group of its own: `subnet create` is a variant named Create, whose group it takes.
#[group(skip)]
pub struct Create<F: Args> {
    /// Its name.
    #[arg(required_unless_present = "data")]
    pub name: Option<String>,
    #[command(flatten)]
    pub fields: F,
    #[command(flatten)]
    pub data: Data,
}

#[derive(Debug, Args)]
pub struct Data {
    /// The request body as JSON, @FILE or - (stdin), as the REST API takes it; flags override its fields.
    #[arg(short, long, value_name = "JSON", value_parser = crate::body::data)]
    pub data: Option<Value>,
}

#[derive(Debug, Args)]
pub struct Named {
    /// Its name.
    pub name: String,
}

#[derive(Debug, Args)]
#[group(skip)] // as for Create: `subnet delete` is a variant named Delete
pub struct Delete {
    /// Its name.
    pub name: String,
    /// Delete even what others use, and forget what the cloud refuses to delete.
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DriverFields {
    /// The cloud provider, e.g. AWS, AZURE or MOCK.
    #[arg(long)]
    pub provider: Option<String>,
    /// The driver library's file name [server default: <provider>-driver-v1.0.so].
    #[arg(long)]
    pub lib: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeyedFields {
    /// The cloud provider, e.g. AWS, AZURE or MOCK.
    #[arg(long)]
    pub provider: Option<String>,
    /// A key of the provider's, e.g. MockName=m1 (credential) or Region=us-east-1 (region); repeat for more.
    #[arg(long = "key", value_name = "KEY=VALUE")]
    pub keys: Vec<KeyValue>,
}

#[derive(Debug, Args)]
pub struct ConnectionFields {
    /// The cloud provider, e.g. AWS, AZURE or MOCK.
    #[arg(long)]
    pub provider: Option<String>,
    /// The registered driver.
    #[arg(long)]
    pub driver: Option<String>,
    /// The registered credential.
    #[arg(long)]
    pub credential: Option<String>,
    /// The registered region.
    #[arg(long)]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct VpcFields {
    /// The VPC's IPv4 range, e.g. 10.0.0.0/16.
    #[arg(long)]
    pub cidr: Option<String>,
    /// A subnet as NAME=CIDR[@ZONE], e.g. sub-1=10.0.1.0/24; repeat for more.
    #[arg(long = "subnet", value_name = "NAME=CIDR[@ZONE]")]
    pub subnets: Vec<SubnetSpec>,
}

#[derive(Debug, Args)]
pub struct SubnetFields {
    /// The subnet's IPv4 range, within the VPC's.
    #[arg(long)]
    pub cidr: Option<String>,
    /// The zone to place it in [default: the region's].
    #[arg(long)]
    pub zone: Option<String>,
}

#[derive(Debug, Args)]
pub struct SecurityGroupFields {
    /// The VPC it guards.
    #[arg(long)]
    pub vpc: Option<String>,
    /// A rule as PROTOCOL/PORTS[/CIDR][/DIRECTION], e.g. tcp/22/0.0.0.0/0/inbound; repeat for more.
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<Rule>,
}

/// A key pair takes nothing but its name.
#[derive(Debug, Args)]
pub struct KeyPairFields {}

#[derive(Debug, Args)]
pub struct VmFields {
    /// The image, e.g. from `spinneret image list`.
    #[arg(long)]
    pub image: Option<String>,
    /// The VM spec, e.g. from `spinneret vmspec list`.
    #[arg(long)]
    pub spec: Option<String>,
    /// The VPC.
    #[arg(long)]
    pub vpc: Option<String>,
    /// The subnet, in that VPC.
    #[arg(long)]
    pub subnet: Option<String>,
    /// A security group; repeat or separate with commas for more.
    #[arg(long = "sg", value_name = "SECURITY_GROUP", value_delimiter = ',')]
    pub security_groups: Vec<String>,
    /// The key pair for SSH.
    #[arg(long, visible_alias = "key")]
    pub keypair: Option<String>,
    /// The root disk's type, e.g. gp3.
    #[arg(long)]
    pub disk_type: Option<String>,
    /// The root disk's size in GB.
    #[arg(long)]
    pub disk_size: Option<u32>,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    /// The client commands under a root, as the server's binary mounts them.
    #[derive(Debug, Parser)]
    struct Root {
        #[command(subcommand)]
        command: Command,
    }

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Root::try_parse_from(std::iter::once("spinneret").chain(args.iter().copied()))
            .map(|root| root.command)
    }

    #[test]
    fn the_tree_is_consistent() {
        Root::command().debug_assert();
    }

    #[test]
    fn globals_go_anywhere_after_the_group() {
        for args in [
            &[
                "vpc",
                "-c",
                "aws-1",
                "-s",
                "https://cp.example:8443",
                "list",
            ][..],
            &[
                "vpc",
                "list",
                "--connection",
                "aws-1",
                "--server",
                "https://cp.example:8443",
            ],
        ] {
            let Command::Vpc(group) = parse(args).unwrap() else {
                panic!("vpc");
            };
            assert_eq!(group.connection.as_deref(), Some("aws-1"));
            assert_eq!(group.global.server.as_str(), "https://cp.example:8443/");
            assert!(matches!(group.verb, ResourceVerb::List));
        }
    }

    #[test]
    fn the_server_needs_a_scheme() {
        let err = parse(&["health", "-s", "localhost:1024"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("http:// or https://"), "{err}");
        let err = parse(&["health", "-s", "ftp://host"]).unwrap_err();
        assert!(err.to_string().contains("needs a scheme"), "{err}");
    }

    #[test]
    fn both_spellings_of_a_verb_work() {
        for (args, verb) in [
            (
                &["driver", "create", "d", "--provider", "MOCK"][..],
                "register",
            ),
            (&["driver", "delete", "d"], "unregister"),
            (&["vm", "create", "v", "--image", "i"], "start"),
            (&["vm", "delete", "v", "--force"], "terminate"),
            (
                &["subnet", "add", "s", "--vpc", "n", "--cidr", "10.0.1.0/24"],
                "create",
            ),
            (&["rule", "create", "sg-1", "--rule", "tcp/22"], "add"),
            (&["sg", "list"], "list"),
        ] {
            assert!(parse(args).is_ok(), "{args:?} as {verb}");
        }
    }

    #[test]
    fn a_create_needs_a_name_or_data() {
        assert_eq!(parse(&["keypair", "create"]).unwrap_err().exit_code(), 2);
        assert!(parse(&["keypair", "create", "-d", r#"{"ReqInfo":{"Name":"k"}}"#]).is_ok());
        assert_eq!(parse(&["rule", "add", "sg-1"]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn bad_flag_values_are_usage_errors() {
        for args in [
            &["sg", "create", "sg-1", "--rule", "tcp/99999"][..],
            &["vpc", "create", "n", "--subnet", "10.0.1.0/24"],
            &["credential", "register", "c", "--key", "MockName"],
            &["vpc", "create", "n", "-d", "{not json"],
            &["vm", "list", "--interval", "1"],
            &["vm", "list", "--watch", "--interval", "0"],
        ] {
            assert_eq!(parse(args).unwrap_err().exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn security_groups_take_commas_or_repeats() {
        let Command::Vm(group) =
            parse(&["vm", "start", "v", "--sg", "a,b", "--sg", "c", "--key", "k"]).unwrap()
        else {
            panic!("vm");
        };
        let VmVerb::Start { create, wait } = group.verb else {
            panic!("start");
        };
        assert_eq!(create.fields.security_groups, ["a", "b", "c"]);
        assert_eq!(create.fields.keypair.as_deref(), Some("k"));
        assert!(!wait.wait);
    }

    #[test]
    fn debug_hides_the_password() {
        let command = parse(&["health", "-p", "pa55word-visible?"]).unwrap();
        assert!(!format!("{command:?}").contains("pa55word-visible?"));
    }
}
