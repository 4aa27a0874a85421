//! The verbs of every group but `vm`, mapped onto the REST routes through `kinds`.

use clap::Args;
use reqwest::Method;
use serde_json::{Map, Value};

use crate::args::{
    CallFilter, CalllogVerb, CatalogVerb, Delete, Global, Named, Registry, RegistryVerb,
    ResourceVerb, RuleVerb, Scoped, SubnetVerb,
};
use crate::body::{self, Fields};
use crate::client::Call;
use crate::error::Error;
use crate::kinds::{self, Kind, Registered};
use crate::output::Shape;
use crate::session::Session;

/// Driver, credential, region and connection: records of the registry, outside any connection.
pub async fn registry<F: Args + Fields>(
    record: &Registered,
    group: Registry<F>,
) -> Result<(), Error> {
    let kind = &record.kind;
    let session = Session::new(group.global, None);
    let (answer, shape) = match group.verb {
        RegistryVerb::Register(create) => {
            let body = body::record(
                create.data.data,
                record.name_key,
                create.name.as_deref(),
                create.fields.fields(),
            )?;
            let answer = session
                .send(Call::new(Method::POST, &[kind.path]).body(body))
                .await?;
            (answer, Shape::Object)
        }
        RegistryVerb::List { provider } => {
            let path = [kind.path];
            let call = Call::get(&path).query("ProviderName", provider.as_deref());
            (session.send(call).await?, Shape::List(&kind.listing))
        }
        RegistryVerb::Get(Named { name }) => {
            let answer = session.send(Call::get(&[kind.path, &name])).await?;
            (answer, Shape::Object)
        }
        RegistryVerb::Unregister(Named { name }) => {
            let answer = session
                .send(Call::new(Method::DELETE, &[kind.path, &name]))
                .await?;
            let done = format!("unregistered {} '{name}'", kind.noun);
            (answer, Shape::Sentence(done))
        }
    };
    session.show(&answer, &shape);
    Ok(())
}

/// Image and VM spec: what a connection's cloud offers.
pub async fn catalog(kind: &Kind, group: Scoped<CatalogVerb>) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    match group.verb {
        CatalogVerb::List => session.list(&[kind.path], &kind.listing).await,
        CatalogVerb::Get(Named { name }) => session.get(&[kind.path, &name]).await,
    }
}

/// VPC, security group and key pair: a connection's resources.
pub async fn resource<F: Args + Fields>(
    kind: &Kind,
    group: Scoped<ResourceVerb<F>>,
) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    match group.verb {
        ResourceVerb::Create(create) => session.create(&[kind.path], create).await,
        ResourceVerb::List => session.list(&[kind.path], &kind.listing).await,
        ResourceVerb::Get(Named { name }) => session.get(&[kind.path, &name]).await,
        ResourceVerb::Delete(Delete { name, force }) => {
            let answer = session.delete(&[kind.path, &name], force).await?;
            let done = format!("deleted {} '{name}'", kind.noun);
            session.show(&answer, &Shape::Sentence(done));
            Ok(())
        }
    }
}

/// Subnets, under `/vpc/{vpc}/subnet`.
pub async fn subnet(group: Scoped<SubnetVerb>) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    match group.verb {
        SubnetVerb::Create { vpc, create } => {
            session
                .create(&[kinds::VPC.path, &vpc.vpc, "subnet"], create)
                .await
        }
        SubnetVerb::List { vpc } => {
            let vpc = session.read(&[kinds::VPC.path, &vpc.vpc]).await?;
            let subnets = listed(kinds::SUBNETS.key, &vpc["SubnetInfoList"]);
            session.show(&subnets, &Shape::List(&kinds::SUBNETS));
            Ok(())
        }
        SubnetVerb::Get { vpc, named } => {
            session
                .get(&[kinds::VPC.path, &vpc.vpc, "subnet", &named.name])
                .await
        }
        SubnetVerb::Delete { vpc, delete } => {
            let path = [kinds::VPC.path, &vpc.vpc, "subnet", &delete.name];
            let answer = session.delete(&path, delete.force).await?;
            let done = format!("deleted subnet '{}' of vpc '{}'", delete.name, vpc.vpc);
            session.show(&answer, &Shape::Sentence(done));
            Ok(())
        }
    }
}

/// Security rules, under `/securitygroup/{sg}/rules`.
pub async fn rule(group: Scoped<RuleVerb>) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    let sg = kinds::SECURITY_GROUP.path;
    let (method, change) = match group.verb {
        RuleVerb::List { security_group } => {
            let group = session.read(&[sg, &security_group]).await?;
            let rules = listed(kinds::RULES.key, &group["SecurityRules"]);
            session.show(&rules, &Shape::List(&kinds::RULES));
            return Ok(());
        }
        RuleVerb::Add(change) => (Method::POST, change),
        RuleVerb::Remove(change) => (Method::DELETE, change),
    };
    let fields = change.fields();
    let body = body::envelope(change.data.data, session.given_connection(), None, fields)?;
    let shape = if method == Method::POST {
        Shape::Object
    } else {
        Shape::Sentence(format!(
            "removed the rules from security group '{}'",
            change.security_group
        ))
    };
    let path = [sg, &change.security_group, "rules"];
    let answer = session.send(Call::new(method, &path).body(body)).await?;
    session.show(&answer, &shape);
    Ok(())
}

/// A list the server keeps inside another record, wrapped the way the server wraps its lists.
fn listed(key: &str, items: &Value) -> Value {
    Value::Object(Map::from_iter([(key.to_owned(), items.clone())]))
}

/// The call history and its statistics; `-c` narrows them to one connection.
pub async fn calllog(group: Scoped<CalllogVerb>) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    let (path, listing, filter) = match &group.verb {
        CalllogVerb::List(filter) => (&["calllog"][..], &kinds::CALLS, filter),
        CalllogVerb::Stats(filter) => (&["calllog", "stats"][..], &kinds::CALL_STATS, filter),
    };
    let CallFilter {
        resource_type,
        resource_name,
        api,
        errors_only,
        since,
        until,
        limit,
    } = filter;
    let limit = limit.map(|limit| limit.to_string());
    let call = Call::get(path)
        .query("ConnectionName", session.given_connection())
        .query("ResourceType", resource_type.as_deref())
        .query("ResourceName", resource_name.as_deref())
        .query("CloudOSAPI", api.as_deref())
        .query("ErrorOnly", errors_only.then_some("true"))
        .query("Since", since.as_deref())
        .query("Until", until.as_deref())
        .query("Limit", limit.as_deref());
    let answer = session.send(call).await?;
    session.show(&answer, &Shape::List(listing));
    Ok(())
}

/// `/health` and `/version` in one answer; neither needs signing in.
pub async fn health(global: Global) -> Result<(), Error> {
    let session = Session::new(global, None);
    let mut answer = Map::new();
    for path in ["health", "version"] {
        if let Value::Object(fields) = session.send(Call::get(&[path])).await? {
            answer.extend(fields);
        }
    }
    session.show(&Value::Object(answer), &Shape::Object);
    Ok(())
}
