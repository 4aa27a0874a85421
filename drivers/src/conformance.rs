//! The conformance suite: one set of checks that every driver must pass, whatever cloud it
//! talks to. The mock runs it in `cargo test`; other drivers run it against their emulators or
//! a test account. Every name it creates carries a unique suffix, so an account can be reused,
//! and it deletes what it created. Failures panic with a message naming the operation, as test
//! helpers do.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::contract::{
    Connection, ConnectionInfo, Driver, DriverErrorKind, DriverResult, SecurityGroupRequest,
    StartPoll, SubnetRequest, VmRequest, VpcRequest,
};
use crate::model::{OSPlatform, ResourceKind, SecurityInfo, SecurityRuleInfo, VMStatus};

/// A name no cloud will have, for the not-found checks.
const MISSING: &str = "spinneret-conformance-missing";

const VPC_CIDR: &str = "10.77.0.0/16";
const SUBNET_CIDRS: [&str; 3] = ["10.77.1.0/24", "10.77.2.0/24", "10.77.3.0/24"];

/// Status polls start this far apart and double up to `POLL_CAP`, for at most `WAIT_LIMIT`.
const POLL_START: Duration = Duration::from_millis(50);
const POLL_CAP: Duration = Duration::from_secs(2);
const WAIT_LIMIT: Duration = Duration::from_secs(120);

/// Connects with a fresh `ConnectionInfo` and runs the checks of every handler the driver
/// reports.
pub async fn run(driver: &dyn Driver, info: impl Fn() -> ConnectionInfo) {
    let connection = driver.connect(info()).await.expect("connect");
    let connection = connection.as_ref();
    account(driver, connection, &info).await;
    let capabilities = driver.capabilities();
    if capabilities.image {
        images(connection).await;
    }
    if capabilities.vm_spec {
        specs(connection).await;
    }
    let names = Names::unique();
    let key_pair = if capabilities.key_pair {
        Some(key_pairs(connection, &names).await)
    } else {
        None
    };
    if capabilities.vpc {
        let network = vpcs(connection, &names).await;
        if capabilities.security {
            let security_group = security_groups(connection, &names, &network.vpc_id).await;
            if let (true, Some(key_pair)) = (capabilities.vm, &key_pair) {
                vms(connection, &names, &network, &security_group, key_pair).await;
            }
            connection
                .delete_security_group(&security_group)
                .await
                .expect("DeleteSecurity");
            let read = connection.get_security_group(&security_group).await;
            assert_gone(
                connection,
                read,
                ResourceKind::SecurityGroup,
                &security_group,
            )
            .await;
        }
        let vpc_id = &network.vpc_id;
        connection.delete_vpc(vpc_id).await.expect("DeleteVPC");
        let read = connection.get_vpc(vpc_id).await;
        assert_gone(connection, read, ResourceKind::Vpc, vpc_id).await;
    }
    if let Some(key_pair) = key_pair {
        connection
            .delete_key_pair(&key_pair)
            .await
            .expect("DeleteKey");
        let read = connection.get_key_pair(&key_pair).await;
        assert_gone(connection, read, ResourceKind::KeyPair, &key_pair).await;
    }
}

/// The account: named, in the connection's region, and the same for every connection made
/// with the same keys.
async fn account(
    driver: &dyn Driver,
    connection: &dyn Connection,
    info: &impl Fn() -> ConnectionInfo,
) {
    let reached = connection.account().await.expect("account");
    assert!(!reached.account.is_empty(), "the account has an id");
    assert_eq!(
        Some(reached.region.as_str()),
        info().region_value("Region"),
        "the account is reported in the connection's region"
    );
    let again = driver.connect(info()).await.expect("connect");
    assert_eq!(again.account().await.expect("account"), reached);
}

/// Images: the list is not empty, each listed image can be fetched as listed, and an unknown
/// one is NotFound.
pub async fn images(connection: &dyn Connection) {
    let images = connection.list_images().await.expect("ListImage");
    assert!(
        !images.is_empty(),
        "ListImage: a cloud offers at least one image"
    );
    for image in images.iter().take(3) {
        let fetched = connection
            .get_image(&image.iid.system_id)
            .await
            .expect("GetImage of a listed image");
        assert_eq!(&fetched, image, "GetImage returns what ListImage listed");
    }
    expect_error(
        connection.get_image(MISSING).await,
        DriverErrorKind::NotFound,
        "GetImage of an unknown image",
    );
}

/// Specs: the same checks for instance types.
pub async fn specs(connection: &dyn Connection) {
    let specs = connection.list_specs().await.expect("ListVMSpec");
    assert!(
        !specs.is_empty(),
        "ListVMSpec: a cloud offers at least one spec"
    );
    for spec in specs.iter().take(3) {
        let fetched = connection
            .get_spec(&spec.name)
            .await
            .expect("GetVMSpec of a listed spec");
        assert_eq!(&fetched, spec, "GetVMSpec returns what ListVMSpec listed");
        assert!(
            !spec.vcpu.count.is_empty(),
            "{}: VCpu.Count is set",
            spec.name
        );
    }
    let org = connection
        .get_org_spec(&specs[0].name)
        .await
        .expect("GetOrgVMSpec of a listed spec");
    assert!(!org.is_empty(), "GetOrgVMSpec answers the cloud's own text");
    let all = connection.list_org_specs().await.expect("ListOrgVMSpec");
    assert!(
        all.contains(&specs[0].name),
        "ListOrgVMSpec names the listed specs"
    );
    expect_error(
        connection.get_spec(MISSING).await,
        DriverErrorKind::NotFound,
        "GetVMSpec of an unknown spec",
    );
}

/// The cloud-side names of one run: unique, so runs never collide in a shared account.
struct Names {
    vpc: String,
    subnets: [String; 3],
    security_group: String,
    key_pair: String,
    vm: String,
}

impl Names {
    fn unique() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let suffix = format!("{:x}{:x}", nanos, std::process::id());
        let name = |what: &str| format!("spn-conf-{suffix}-{what}");
        Self {
            vpc: name("vpc"),
            subnets: [name("subnet-1"), name("subnet-2"), name("subnet-3")],
            security_group: name("sg"),
            key_pair: name("kp"),
            vm: name("vm"),
        }
    }
}

/// The VPC the other checks build on: its id and its first subnet's.
struct Network {
    vpc_id: String,
    subnet_id: String,
    subnet_cidr: &'static str,
}

/// VPCs and subnets: create with two subnets, read back, add and remove a third.
async fn vpcs(connection: &dyn Connection, names: &Names) -> Network {
    let subnet = |index: usize| SubnetRequest {
        name: names.subnets[index].clone(),
        zone: String::new(),
        ipv4_cidr: SUBNET_CIDRS[index].to_owned(),
    };
    let request = VpcRequest {
        name: names.vpc.clone(),
        ipv4_cidr: VPC_CIDR.to_owned(),
        subnets: vec![subnet(0), subnet(1)],
    };
    let vpc = connection.create_vpc(&request).await.expect("CreateVPC");
    assert_eq!(
        vpc.iid.name_id, names.vpc,
        "CreateVPC answers the cloud-side name"
    );
    assert_eq!(vpc.ipv4_cidr, VPC_CIDR, "CreateVPC keeps the CIDR");
    assert_eq!(
        vpc.subnet_info_list.len(),
        2,
        "CreateVPC creates both subnets"
    );
    let vpc_id = vpc.iid.system_id.clone();
    let subnet_id = |vpc: &crate::model::VPCInfo, name: &str| {
        vpc.subnet_info_list
            .iter()
            .find(|subnet| subnet.iid.name_id == name)
            .map(|subnet| subnet.iid.system_id.clone())
            .unwrap_or_else(|| panic!("VPC '{vpc_id}' has no subnet '{name}'"))
    };
    let first_subnet = subnet_id(&vpc, &names.subnets[0]);

    let fetched = connection.get_vpc(&vpc_id).await.expect("GetVPC");
    assert_eq!(
        fetched.subnet_info_list.len(),
        2,
        "GetVPC shows both subnets"
    );
    let listed = connection.list_vpcs().await.expect("ListVPC");
    assert!(
        listed.iter().any(|vpc| vpc.iid.system_id == vpc_id),
        "ListVPC lists '{vpc_id}'"
    );
    assert_listed(connection, ResourceKind::Vpc, &vpc_id, true).await;
    assert_listed(connection, ResourceKind::Subnet, &first_subnet, true).await;

    let grown = connection
        .add_subnet(&vpc_id, &subnet(2))
        .await
        .expect("AddSubnet");
    assert_eq!(
        grown.subnet_info_list.len(),
        3,
        "AddSubnet answers the whole VPC"
    );
    let third = subnet_id(&grown, &names.subnets[2]);
    connection
        .remove_subnet(&vpc_id, &third)
        .await
        .expect("RemoveSubnet");
    let shrunk = connection.get_vpc(&vpc_id).await.expect("GetVPC");
    assert_eq!(
        shrunk.subnet_info_list.len(),
        2,
        "RemoveSubnet removes the subnet"
    );

    expect_error(
        connection.get_vpc(MISSING).await,
        DriverErrorKind::NotFound,
        "GetVPC of an unknown VPC",
    );
    Network {
        vpc_id,
        subnet_id: first_subnet,
        subnet_cidr: SUBNET_CIDRS[0],
    }
}

fn rule(direction: &str, protocol: &str, from: &str, to: &str) -> SecurityRuleInfo {
    SecurityRuleInfo {
        direction: direction.to_owned(),
        ip_protocol: protocol.to_owned(),
        from_port: from.to_owned(),
        to_port: to.to_owned(),
        cidr: "0.0.0.0/0".to_owned(),
    }
}

fn assert_rules(group: &SecurityInfo, rules: &[SecurityRuleInfo], present: bool, what: &str) {
    for rule in rules {
        assert_eq!(
            group.security_rules.contains(rule),
            present,
            "{what}: rule {rule:?} present should be {present}, rules are {:?}",
            group.security_rules
        );
    }
}

/// Security groups: create with rules, read back, add a rule (twice: the second is refused),
/// remove it (twice: the second is refused). Returns the group's id.
async fn security_groups(connection: &dyn Connection, names: &Names, vpc_id: &str) -> String {
    let rules = vec![
        rule("inbound", "TCP", "22", "22"),
        rule("outbound", "ALL", "-1", "-1"),
    ];
    let request = SecurityGroupRequest {
        name: names.security_group.clone(),
        vpc_id: vpc_id.to_owned(),
        rules: rules.clone(),
    };
    let group = connection
        .create_security_group(&request)
        .await
        .expect("CreateSecurity");
    assert_eq!(
        group.iid.name_id, names.security_group,
        "CreateSecurity answers the name"
    );
    assert_eq!(
        group.vpc_iid.system_id, vpc_id,
        "CreateSecurity keeps the VPC"
    );
    assert_rules(&group, &rules, true, "CreateSecurity");
    let id = group.iid.system_id.clone();

    let fetched = connection
        .get_security_group(&id)
        .await
        .expect("GetSecurity");
    assert_rules(&fetched, &rules, true, "GetSecurity");
    let listed = connection
        .list_security_groups()
        .await
        .expect("ListSecurity");
    assert!(
        listed.iter().any(|group| group.iid.system_id == id),
        "ListSecurity lists '{id}'"
    );
    assert_listed(connection, ResourceKind::SecurityGroup, &id, true).await;

    let http = [rule("inbound", "TCP", "80", "80")];
    let added = connection.add_rules(&id, &http).await.expect("AddRules");
    assert_rules(&added, &http, true, "AddRules");
    expect_error(
        connection.add_rules(&id, &http).await,
        DriverErrorKind::Conflict,
        "AddRules of a rule the group has",
    );
    connection
        .remove_rules(&id, &http)
        .await
        .expect("RemoveRules");
    let fetched = connection
        .get_security_group(&id)
        .await
        .expect("GetSecurity");
    assert_rules(&fetched, &http, false, "GetSecurity after RemoveRules");
    expect_error(
        connection.remove_rules(&id, &http).await,
        DriverErrorKind::NotFound,
        "RemoveRules of a rule the group lacks",
    );

    expect_error(
        connection.get_security_group(MISSING).await,
        DriverErrorKind::NotFound,
        "GetSecurity of an unknown group",
    );
    id
}

/// Key pairs: the create answer alone carries a real private key. Returns the key pair's id.
async fn key_pairs(connection: &dyn Connection, names: &Names) -> String {
    let created = connection
        .create_key_pair(&names.key_pair)
        .await
        .expect("CreateKey");
    assert_eq!(
        created.iid.name_id, names.key_pair,
        "CreateKey answers the name"
    );
    assert!(
        created.private_key.starts_with("-----BEGIN"),
        "CreateKey answers a PEM private key"
    );
    assert!(
        !created.fingerprint.is_empty(),
        "CreateKey answers a fingerprint"
    );
    let id = created.iid.system_id.clone();

    let fetched = connection.get_key_pair(&id).await.expect("GetKey");
    assert_eq!(
        fetched.fingerprint, created.fingerprint,
        "GetKey keeps the fingerprint"
    );
    assert!(
        !fetched.private_key.starts_with("-----BEGIN"),
        "GetKey never answers the private key"
    );
    let listed = connection.list_key_pairs().await.expect("ListKey");
    assert!(
        listed.iter().any(|key| key.iid.system_id == id),
        "ListKey lists '{id}'"
    );
    assert_listed(connection, ResourceKind::KeyPair, &id, true).await;

    expect_error(
        connection.get_key_pair(MISSING).await,
        DriverErrorKind::NotFound,
        "GetKey of an unknown key pair",
    );
    id
}

/// VMs: start one, then walk it through suspend, resume, reboot and terminate.
async fn vms(
    connection: &dyn Connection,
    names: &Names,
    network: &Network,
    security_group: &str,
    key_pair: &str,
) {
    let images = connection.list_images().await.expect("ListImage");
    let image = images
        .iter()
        .find(|image| image.os_platform == OSPlatform::LinuxUnix)
        .or(images.first())
        .expect("ListImage: an image to start a VM from");
    let specs = connection.list_specs().await.expect("ListVMSpec");
    let spec = specs
        .first()
        .expect("ListVMSpec: a spec to start a VM with");
    let request = VmRequest {
        name: names.vm.clone(),
        image_id: image.iid.system_id.clone(),
        spec_name: spec.name.clone(),
        vpc_id: network.vpc_id.clone(),
        subnet_id: network.subnet_id.clone(),
        security_group_ids: vec![security_group.to_owned()],
        key_pair_id: key_pair.to_owned(),
        ..VmRequest::default()
    };
    let started = connection.start_vm(&request).await.expect("StartVM");
    assert_eq!(started.iid.name_id, names.vm, "StartVM answers the name");
    let id = started.iid.system_id.clone();
    wait_for_status(connection, &id, VMStatus::Running).await;

    let vm = connection.get_vm(&id).await.expect("GetVM");
    assert_eq!(vm.status, Some(VMStatus::Running), "GetVM shows the status");
    assert!(!vm.public_ip.is_empty(), "GetVM: the VM has a public IP");
    assert!(
        in_cidr(&vm.private_ip, network.subnet_cidr),
        "GetVM: private IP '{}' lies in the subnet {}",
        vm.private_ip,
        network.subnet_cidr
    );
    // What a start waits on: a running VM, whole, as GetVM describes it.
    match connection.poll_start(&id).await.expect("a start's poll") {
        StartPoll::Running(polled) => {
            assert_eq!(polled.iid.system_id, id, "a start's poll names the VM");
            assert_eq!(
                polled.private_ip, vm.private_ip,
                "a start's poll has the VM's addresses"
            );
        }
        StartPoll::Not(status) => panic!("a start's poll of a running VM: {status:?}"),
    }
    let listed = connection.list_vms().await.expect("ListVM");
    assert!(
        listed.iter().any(|vm| vm.iid.system_id == id),
        "ListVM lists '{id}'"
    );
    let statuses = connection.list_vm_status().await.expect("ListVMStatus");
    assert!(
        statuses
            .iter()
            .any(|(iid, status)| iid.system_id == id && *status == VMStatus::Running),
        "ListVMStatus shows '{id}' Running: {statuses:?}"
    );
    assert_listed(connection, ResourceKind::Vm, &id, true).await;

    connection.suspend_vm(&id).await.expect("SuspendVM");
    wait_for_status(connection, &id, VMStatus::Suspended).await;
    expect_error(
        connection.reboot_vm(&id).await,
        DriverErrorKind::Conflict,
        "RebootVM of a suspended VM",
    );
    connection.resume_vm(&id).await.expect("ResumeVM");
    wait_for_status(connection, &id, VMStatus::Running).await;
    connection.reboot_vm(&id).await.expect("RebootVM");
    wait_for_status(connection, &id, VMStatus::Running).await;

    let terminating = connection.terminate_vm(&id).await.expect("TerminateVM");
    assert!(
        matches!(terminating, VMStatus::Terminating | VMStatus::Terminated),
        "TerminateVM answers Terminating or Terminated, not {terminating:?}"
    );
    wait_until(
        &format!("VM '{id}' to be gone"),
        async || match connection.vm_status(&id).await {
            Err(err) if err.kind == DriverErrorKind::NotFound => None,
            Ok(VMStatus::Terminated) => None,
            Ok(status) => Some(status.as_str().to_owned()),
            Err(err) => panic!("GetVMStatus of terminating VM '{id}': {err}"),
        },
    )
    .await;

    expect_error(
        connection.get_vm(MISSING).await,
        DriverErrorKind::NotFound,
        "GetVM of an unknown VM",
    );
}

/// Checks that a deleted resource is gone: reading it is NotFound and ListIID leaves it out.
async fn assert_gone<T>(
    connection: &dyn Connection,
    read: DriverResult<T>,
    kind: ResourceKind,
    id: &str,
) {
    expect_error(
        read,
        DriverErrorKind::NotFound,
        &format!("reading deleted {kind} '{id}'"),
    );
    assert_listed(connection, kind, id, false).await;
}

fn expect_error<T>(result: DriverResult<T>, kind: DriverErrorKind, what: &str) {
    match result {
        Ok(_) => panic!("{what}: expected {kind:?}, but it succeeded"),
        Err(err) => assert_eq!(err.kind, kind, "{what}: {err}"),
    }
}

/// Checks whether `ListIID` lists `id` among the resources of `kind`.
async fn assert_listed(connection: &dyn Connection, kind: ResourceKind, id: &str, listed: bool) {
    let ids = connection.list_ids(kind).await.expect("ListIID");
    assert_eq!(
        ids.iter().any(|iid| iid.system_id == id),
        listed,
        "ListIID of {kind}: '{id}' listed should be {listed}"
    );
}

async fn wait_for_status(connection: &dyn Connection, id: &str, wanted: VMStatus) {
    wait_until(
        &format!("VM '{id}' to be {}", wanted.as_str()),
        async || {
            let status = connection
                .vm_status(id)
                .await
                .unwrap_or_else(|err| panic!("GetVMStatus of '{id}': {err}"));
            (status != wanted).then(|| status.as_str().to_owned())
        },
    )
    .await;
}

/// Polls with bounded exponential backoff until `pending` answers `None`; it answers what it
/// saw otherwise, and the panic after `WAIT_LIMIT` names the last thing seen.
async fn wait_until(what: &str, mut pending: impl AsyncFnMut() -> Option<String>) {
    let started = Instant::now();
    let mut delay = POLL_START;
    while let Some(seen) = pending().await {
        assert!(
            started.elapsed() < WAIT_LIMIT,
            "waited {WAIT_LIMIT:?} for {what}; last seen: {seen}"
        );
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(POLL_CAP);
    }
}

/// Whether an IPv4 address lies in an IPv4 CIDR block.
fn in_cidr(ip: &str, cidr: &str) -> bool {
    let parsed = ip
        .parse::<Ipv4Addr>()
        .ok()
        .zip(cidr.split_once('/').and_then(|(network, bits)| {
            Some((network.parse::<Ipv4Addr>().ok()?, bits.parse::<u32>().ok()?))
        }));
    let Some((ip, (network, bits @ 0..=32))) = parsed else {
        return false;
    };
    // A /0 shifts every bit out: its mask is empty.
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    u32::from(ip) & mask == u32::from(network) & mask
}
