//! The `vm` group: start, list (and watch), status, suspend/resume/reboot and terminate, each
//! lifecycle verb optionally waiting for the VM to settle.

use std::io::IsTerminal;
use std::pin::pin;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::args::{Control, Create, Delete, Named, Scoped, VmFields, VmVerb};
use crate::client::Call;
use crate::error::Error;
use crate::kinds::{VM, VM_STATUSES};
use crate::output::{Format, Shape, print, render};
use crate::progress::StatusDisplay;
use crate::session::Session;

/// How often a wait asks for the status.
const POLL: Duration = Duration::from_millis(500);

pub async fn vm(group: Scoped<VmVerb>) -> Result<(), Error> {
    let session = Session::new(group.global, group.connection);
    match group.verb {
        VmVerb::Start { create, wait } => start(&session, create, wait.wait).await,
        VmVerb::List { watch: false, .. } => session.list(&[VM.path], &VM.listing).await,
        VmVerb::List {
            watch: true,
            interval,
        } => watch(&session, interval).await,
        VmVerb::Get(Named { name }) => session.get(&[VM.path, &name]).await,
        VmVerb::Status { name: Some(name) } => session.get(&["vmstatus", &name]).await,
        VmVerb::Status { name: None } => session.list(&["vmstatus"], &VM_STATUSES).await,
        VmVerb::Suspend(control) => act(&session, "suspend", &["Suspended"], control).await,
        VmVerb::Resume(control) => act(&session, "resume", &["Running"], control).await,
        VmVerb::Reboot(control) => act(&session, "reboot", &["Running"], control).await,
        VmVerb::Terminate { delete, wait } => terminate(&session, delete, wait.wait).await,
    }
}

/// POST /vm answers once the VM is Running; with `--wait` the status is polled meanwhile so
/// each step shows.
async fn start(session: &Session, create: Create<VmFields>, wait: bool) -> Result<(), Error> {
    let body = session.create_body(create)?;
    let name = body["ReqInfo"]["Name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let started = session.send(Call::new(Method::POST, &[VM.path]).body(body));
    let vm = if wait {
        watch_start(session, &name, started).await?
    } else {
        started.await?
    };
    session.show(&vm, &Shape::Object);
    Ok(())
}

async fn watch_start(
    session: &Session,
    name: &str,
    started: impl Future<Output = Result<Value, Error>>,
) -> Result<Value, Error> {
    let mut display = StatusDisplay::new(name);
    let mut started = pin!(started);
    let mut poll = tokio::time::interval(POLL);
    let outcome = loop {
        tokio::select! {
            vm = &mut started => break vm,
            _ = poll.tick() => {
                // Until the server has recorded the VM its status is unknown: keep asking.
                if let Ok(status) = status(session, name).await {
                    display.show(&status);
                }
            }
        }
    };
    if let Ok(vm) = &outcome {
        // A server without Spinneret's Status key answers only once the VM runs, as this one does.
        display.show(vm["Status"].as_str().unwrap_or("Running"));
    }
    display.finish();
    outcome
}

async fn status(session: &Session, name: &str) -> Result<String, Error> {
    let answer = session.read(&["vmstatus", name]).await?;
    Ok(answer["Status"].as_str().unwrap_or_default().to_owned())
}

/// Suspend, resume or reboot: `PUT /controlvm/{name}?action=`.
async fn act(
    session: &Session,
    action: &str,
    settled: &[&str],
    control: Control,
) -> Result<(), Error> {
    let body = json!({ "ConnectionName": session.connection()? });
    let path = ["controlvm", &control.name];
    let call = Call::new(Method::PUT, &path)
        .query("action", Some(action))
        .body(body);
    let mut answer = session.send(call).await?;
    if control.wait.wait {
        answer = settle(session, &control.name, &answer, settled).await?;
    }
    session.show(&answer, &Shape::Object);
    Ok(())
}

async fn terminate(session: &Session, delete: Delete, wait: bool) -> Result<(), Error> {
    let mut answer = session
        .delete(&[VM.path, &delete.name], delete.force)
        .await?;
    if wait {
        answer = settle(session, &delete.name, &answer, &["Terminated"]).await?;
    }
    session.show(&answer, &Shape::Object);
    Ok(())
}

/// Polls the VM's status from the action's answer on until it is one of `settled`, showing
/// each change; a terminated VM that the server has forgotten (404) counts as Terminated.
async fn settle(
    session: &Session,
    name: &str,
    answer: &Value,
    settled: &[&str],
) -> Result<Value, Error> {
    let mut display = StatusDisplay::new(name);
    let mut current = answer["Status"].as_str().unwrap_or_default().to_owned();
    let outcome = loop {
        display.show(&current);
        if settled.contains(&current.as_str()) {
            break Ok(json!({ "Status": current }));
        }
        if current == "Failed" {
            break Err(Error::Failed(format!(
                "vm '{name}' is Failed; `spinneret calllog list --resource-name {name} --errors-only` shows why"
            )));
        }
        tokio::time::sleep(POLL).await;
        current = match status(session, name).await {
            Ok(status) => status,
            Err(err) if err.is_not_found() && settled.contains(&"Terminated") => {
                "Terminated".to_owned()
            }
            Err(err) => break Err(err),
        };
    };
    display.finish();
    outcome
}

/// `vm list --watch`: the list again every interval until Ctrl-C; a terminal is cleared for
/// each refresh, a pipe gets them one after another.
async fn watch(session: &Session, interval: Duration) -> Result<(), Error> {
    tokio::select! {
        refreshing = refresh(session, interval) => refreshing,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

async fn refresh(session: &Session, interval: Duration) -> Result<(), Error> {
    let on_terminal = std::io::stdout().is_terminal();
    loop {
        let vms = session.read(&[VM.path]).await?;
        let text = render(session.format(), &vms, &Shape::List(&VM.listing));
        if on_terminal && session.format() == Format::Table {
            let heading = format!(
                "Every {}s: spinneret vm list (Ctrl-C stops)",
                interval.as_secs_f64()
            );
            print(&format!("\x1b[2J\x1b[H{heading}\n\n{text}"));
        } else {
            print(&format!("{text}\n"));
        }
        tokio::time::sleep(interval).await;
    }
}
