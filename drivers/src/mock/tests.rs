//! The mock driver end to end, through the contract's traits as the core uses it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use secrecy::SecretString;

use super::account::Account;
use super::*;
use crate::contract::{
    DriverErrorKind, NoRecorder, RecordedCalls, SecurityGroupRequest, SubnetRequest, VmRequest,
    VpcRequest,
};
use crate::model::{KeyValue, ResourceKind, SecurityRuleInfo, VMStatus};

const MOCK_NAME: &str = "tenant-a";

fn connection_info() -> ConnectionInfo {
    info_with(MOCK_NAME, &[])
}

/// A connection's info with a mock name and extra credential keys.
fn info_with(mock_name: &str, extra: &[(&str, &str)]) -> ConnectionInfo {
    let credential = [("MockName", mock_name)]
        .iter()
        .chain(extra)
        .map(|&(key, value)| (key.to_owned(), SecretString::from(value.to_owned())))
        .collect();
    ConnectionInfo {
        connection_name: "mock-config".into(),
        provider: Provider::Mock,
        region_name: "mock-region".into(),
        region: vec![KeyValue::new("Region", "default")],
        credential,
        recorder: Arc::new(NoRecorder),
    }
}

fn driver_with(store: Arc<dyn MockStore>, transition: Duration) -> MockDriver {
    MockDriver::new(
        store,
        MockSettings {
            account_key: [7; 32],
            transition,
        },
    )
}

async fn connect(driver: &MockDriver, info: ConnectionInfo) -> Box<dyn Connection> {
    driver.connect(info).await.expect("connect")
}

/// Creates a VPC (10.77.0.0/16, subnet `subnet-1` 10.77.1.0/24), a security group and a key
/// pair, and answers a request for a VM named `name` on them.
async fn network(connection: &dyn Connection) -> VmRequest {
    connection
        .create_vpc(&VpcRequest {
            name: "vpc-1".into(),
            ipv4_cidr: "10.77.0.0/16".into(),
            subnets: vec![SubnetRequest {
                name: "subnet-1".into(),
                zone: String::new(),
                ipv4_cidr: "10.77.1.0/24".into(),
            }],
        })
        .await
        .unwrap();
    connection
        .create_security_group(&SecurityGroupRequest {
            name: "sg-1".into(),
            vpc_id: "vpc-1".into(),
            rules: vec![ssh_rule()],
        })
        .await
        .unwrap();
    connection.create_key_pair("kp-1").await.unwrap();
    vm_request("vm-1")
}

fn vm_request(name: &str) -> VmRequest {
    VmRequest {
        name: name.into(),
        image_id: "mock-vmimage-01".into(),
        spec_name: "mock-vmspec-01".into(),
        vpc_id: "vpc-1".into(),
        subnet_id: "subnet-1".into(),
        security_group_ids: vec!["sg-1".into()],
        key_pair_id: "kp-1".into(),
        ..VmRequest::default()
    }
}

fn ssh_rule() -> SecurityRuleInfo {
    SecurityRuleInfo {
        direction: "inbound".into(),
        ip_protocol: "TCP".into(),
        from_port: "22".into(),
        to_port: "22".into(),
        cidr: "0.0.0.0/0".into(),
    }
}

/// The account's state as last saved.
fn stored(store: &MemoryStore, mock_name: &str) -> Account {
    let settings = MockSettings {
        account_key: [7; 32],
        transition: Duration::ZERO,
    };
    let state = store
        .snapshot(&account_id(&settings, mock_name, "default"))
        .expect("the account was saved");
    serde_json::from_str(&state).unwrap()
}

#[tokio::test]
async fn passes_the_conformance_suite() {
    crate::conformance::run(&MockDriver::in_memory(), connection_info).await;
}

#[tokio::test]
async fn passes_the_conformance_suite_with_slow_transitions() {
    let driver = driver_with(Arc::new(MemoryStore::default()), Duration::from_millis(30));
    crate::conformance::run(&driver, connection_info).await;
}

#[tokio::test]
async fn every_operation_is_one_recorded_call() {
    let calls = Arc::new(RecordedCalls::default());
    let info = ConnectionInfo {
        recorder: calls.clone(),
        ..connection_info()
    };
    let connection = connect(&MockDriver::in_memory(), info).await;
    connection.list_images().await.unwrap();
    connection.get_spec("nope").await.unwrap_err();
    let request = network(connection.as_ref()).await;
    connection.start_vm(&request).await.unwrap();
    connection.list_ids(ResourceKind::Vm).await.unwrap();
    connection.terminate_vm("vm-1").await.unwrap();
    assert_eq!(
        calls.apis(),
        [
            "ListImage",
            "GetVMSpec",
            "CreateVPC",
            "CreateSecurity",
            "CreateKey",
            "CreateNIC",
            "AllocatePublicIP",
            "StartVM",
            "ListIID",
            "TerminateVM"
        ]
    );
    let calls = calls.0.lock().unwrap();
    assert_eq!(calls[0].error, None);
    assert_eq!(calls[1].resource_name, "nope");
    assert_eq!(
        calls[1].error.as_deref(),
        Some("GetVMSpec: spec 'nope' does not exist in the mock cloud")
    );
    let types: Vec<&str> = calls.iter().map(|call| call.resource_type).collect();
    assert_eq!(
        types,
        [
            "VMImage",
            "VMSpec",
            "VPC",
            "SecurityGroup",
            "KeyPair",
            "VM",
            "VM",
            "VM",
            "VM",
            "VM"
        ]
    );
}

#[tokio::test]
async fn connecting_needs_a_mock_name_and_a_region() {
    let driver = MockDriver::in_memory();
    let mut info = connection_info();
    info.credential.clear();
    let err = driver.connect(info).await.err().expect("refused");
    assert_eq!(err.kind, DriverErrorKind::Invalid);
    assert_eq!(
        err.message,
        "connection 'mock-config': the credential has no 'MockName'"
    );

    let mut info = connection_info();
    info.region.clear();
    assert!(driver.connect(info).await.is_err());
}

#[tokio::test]
async fn malformed_fault_keys_are_refused_at_connect() {
    let info = info_with(MOCK_NAME, &[("delayapi", "*=20,TerminateVM")]);
    let err = MockDriver::in_memory()
        .connect(info)
        .await
        .err()
        .expect("refused");
    assert_eq!(err.kind, DriverErrorKind::Invalid);
    assert!(
        err.message.starts_with(
            "connection 'mock-config': credential key 'DelayAPI': malformed entry 'TerminateVM'"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn specs_carry_the_connection_region() {
    let connection = connect(&MockDriver::in_memory(), connection_info()).await;
    let spec = connection.get_spec("mock-vmspec-02").await.unwrap();
    assert_eq!(spec.region, "default");
    let org = connection.get_org_spec("mock-vmspec-02").await.unwrap();
    assert_eq!(
        serde_json::from_str::<crate::model::VMSpecInfo>(&org).unwrap(),
        spec
    );
}

#[test]
fn debug_shows_no_key() {
    let driver = driver_with(Arc::new(MemoryStore::default()), Duration::ZERO);
    let shown = format!("{driver:?}");
    assert!(
        shown.starts_with("MockDriver") && !shown.contains("account_key"),
        "{shown}"
    );
}

#[tokio::test]
async fn accounts_are_isolated() {
    let driver = MockDriver::in_memory();
    let a = connect(&driver, connection_info()).await;
    let b = connect(&driver, info_with("tenant-b", &[])).await;
    network(a.as_ref()).await;
    assert!(b.list_vpcs().await.unwrap().is_empty());
    assert!(b.list_ids(ResourceKind::KeyPair).await.unwrap().is_empty());
}

#[tokio::test]
async fn state_survives_a_restart() {
    let store = Arc::new(MemoryStore::default());
    let first = driver_with(store.clone(), Duration::ZERO);
    let connection = connect(&first, connection_info()).await;
    let request = network(connection.as_ref()).await;
    let started = connection.start_vm(&request).await.unwrap();
    connection.suspend_vm("vm-1").await.unwrap();
    drop(first);

    let restarted = driver_with(store, Duration::ZERO);
    let connection = connect(&restarted, connection_info()).await;
    let vm = connection.get_vm("vm-1").await.unwrap();
    assert_eq!(vm.status, Some(VMStatus::Suspended));
    assert_eq!(vm.private_ip, started.private_ip);
    assert_eq!(
        connection
            .get_vpc("vpc-1")
            .await
            .unwrap()
            .subnet_info_list
            .len(),
        1
    );
    let key = connection.get_key_pair("kp-1").await.unwrap();
    assert!(key.public_key.starts_with("ssh-ed25519 ") && key.private_key.is_empty());
}

/// A store that keeps every save it was asked for.
#[derive(Default)]
struct SavesSeen {
    store: MemoryStore,
    saves: Mutex<Vec<(String, String)>>,
}

#[async_trait]
impl MockStore for SavesSeen {
    async fn load(&self, account: &str) -> DriverResult<Option<Stored>> {
        self.store.load(account).await
    }

    async fn save(&self, account: &str, state: &str, version: Option<u64>) -> DriverResult<bool> {
        self.saves
            .lock()
            .unwrap()
            .push((account.to_owned(), state.to_owned()));
        self.store.save(account, state, version).await
    }
}

#[tokio::test]
async fn the_store_sees_no_secret() {
    let store = Arc::new(SavesSeen::default());
    let driver = driver_with(store.clone(), Duration::ZERO);
    let info = info_with(
        "tenant-secret-7781",
        &[("FailAPI", "ListVMStatus"), ("DelayAPI", "ListVMStatus=13")],
    );
    let connection = connect(&driver, info).await;
    let mut request = network(connection.as_ref()).await;
    request.vm_user_passwd = Some(SecretString::from("pw-secret-991".to_owned()));
    connection.start_vm(&request).await.unwrap();

    let saves = store.saves.lock().unwrap();
    assert!(!saves.is_empty());
    for (account, state) in saves.iter() {
        for secret in [
            "tenant-secret-7781",
            "ListVMStatus",
            "pw-secret-991",
            "PRIVATE KEY",
        ] {
            assert!(
                !account.contains(secret) && !state.contains(secret),
                "{secret} stored"
            );
        }
    }
}

#[tokio::test]
async fn a_failed_save_changes_nothing() {
    struct BrokenStore;

    #[async_trait]
    impl MockStore for BrokenStore {
        async fn load(&self, _account: &str) -> DriverResult<Option<Stored>> {
            Ok(None)
        }

        async fn save(
            &self,
            _account: &str,
            _state: &str,
            _version: Option<u64>,
        ) -> DriverResult<bool> {
            Err(DriverError::new(DriverErrorKind::Cloud, "disk full"))
        }
    }

    let connection = connect(
        &driver_with(Arc::new(BrokenStore), Duration::ZERO),
        connection_info(),
    )
    .await;
    let err = connection.create_key_pair("kp-1").await.unwrap_err();
    assert_eq!(err.message, "CreateKey: disk full");
    assert!(connection.list_key_pairs().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_launch_step_leaves_nothing_behind() {
    for (step, undone) in [
        ("CreateNIC", &[][..]),
        ("AllocatePublicIP", &["DeleteNIC"][..]),
        ("StartVM", &["ReleasePublicIP", "DeleteNIC"][..]),
    ] {
        let store = Arc::new(MemoryStore::default());
        let driver = driver_with(store.clone(), Duration::ZERO);
        let request = network(connect(&driver, connection_info()).await.as_ref()).await;

        let calls = Arc::new(RecordedCalls::default());
        let failing = ConnectionInfo {
            recorder: calls.clone(),
            ..info_with(MOCK_NAME, &[("FailAPI", step)])
        };
        let err = connect(&driver, failing)
            .await
            .start_vm(&request)
            .await
            .unwrap_err();
        assert_eq!(err.kind, DriverErrorKind::Cloud, "{step}");
        assert_eq!(err.code.as_deref(), Some("InjectedFault"));
        assert_eq!(err.message, format!("{step}: injected fault (FailAPI)"));
        let apis = calls.apis();
        assert_eq!(
            apis.last().map(String::as_str),
            undone.last().copied().or(Some(step))
        );
        assert!(apis.ends_with(&undone.iter().map(|api| api.to_string()).collect::<Vec<_>>()));

        let account = stored(&store, MOCK_NAME);
        assert!(
            account.nics.is_empty() && account.public_ips.is_empty() && account.vms.is_empty(),
            "{step}"
        );
        let vm = connect(&driver, connection_info())
            .await
            .start_vm(&request)
            .await
            .unwrap();
        assert_eq!(
            (vm.private_ip.as_str(), vm.public_ip.as_str()),
            ("10.77.1.4", "203.0.113.1"),
            "{step}"
        );
    }
}

#[tokio::test]
async fn vm_addresses_are_distinct_and_released_on_terminate() {
    let connection = connect(&MockDriver::in_memory(), connection_info()).await;
    let request = network(connection.as_ref()).await;
    let first = connection.start_vm(&request).await.unwrap();
    let second = connection.start_vm(&vm_request("vm-2")).await.unwrap();
    assert_eq!(
        (first.private_ip.as_str(), first.public_ip.as_str()),
        ("10.77.1.4", "203.0.113.1")
    );
    assert_eq!(
        (second.private_ip.as_str(), second.public_ip.as_str()),
        ("10.77.1.5", "203.0.113.2")
    );
    assert_ne!(first.network_interface, second.network_interface);
    assert_eq!(first.ssh_access_point, "203.0.113.1:22");
    assert_eq!(first.root_disk_size, "35");
    assert_eq!(first.vm_user_id, "cb-user");
    assert_eq!(first.status, Some(VMStatus::Creating));

    assert_eq!(
        connection.terminate_vm("vm-1").await.unwrap(),
        VMStatus::Terminated
    );
    let third = connection.start_vm(&vm_request("vm-3")).await.unwrap();
    assert_eq!(
        (third.private_ip.as_str(), third.public_ip.as_str()),
        ("10.77.1.4", "203.0.113.1")
    );
}

#[tokio::test]
async fn lifecycle_actions_need_the_right_state() {
    let connection = connect(&MockDriver::in_memory(), connection_info()).await;
    let request = network(connection.as_ref()).await;
    connection.start_vm(&request).await.unwrap();
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap(),
        VMStatus::Running
    );
    assert_eq!(
        connection.suspend_vm("vm-1").await.unwrap(),
        VMStatus::Suspending
    );

    let err = connection.reboot_vm("vm-1").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::Conflict);
    assert_eq!(
        err.message,
        "RebootVM: VM 'vm-1' is Suspended; reboot needs Running"
    );
    let err = connection.suspend_vm("vm-1").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::Conflict);

    assert_eq!(
        connection.resume_vm("vm-1").await.unwrap(),
        VMStatus::Resuming
    );
    assert_eq!(
        connection.reboot_vm("vm-1").await.unwrap(),
        VMStatus::Rebooting
    );
    let err = connection.terminate_vm("nope").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::NotFound);
    assert_eq!(
        err.message,
        "TerminateVM: VM 'nope' does not exist in the mock cloud"
    );
}

#[tokio::test]
async fn transitions_take_the_configured_time() {
    let transition = Duration::from_millis(200);
    let settled = transition + Duration::from_millis(100);
    let driver = driver_with(Arc::new(MemoryStore::default()), transition);
    let connection = connect(&driver, connection_info()).await;
    let request = network(connection.as_ref()).await;

    assert_eq!(
        connection.start_vm(&request).await.unwrap().status,
        Some(VMStatus::Creating)
    );
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap(),
        VMStatus::Creating
    );
    let err = connection.suspend_vm("vm-1").await.unwrap_err();
    assert_eq!(
        err.message,
        "SuspendVM: VM 'vm-1' is Creating; suspend needs Running"
    );
    tokio::time::sleep(settled).await;
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap(),
        VMStatus::Running
    );

    connection.suspend_vm("vm-1").await.unwrap();
    assert_eq!(
        connection.get_vm("vm-1").await.unwrap().status,
        Some(VMStatus::Suspending)
    );
    tokio::time::sleep(settled).await;
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap(),
        VMStatus::Suspended
    );

    assert_eq!(
        connection.terminate_vm("vm-1").await.unwrap(),
        VMStatus::Terminating
    );
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap(),
        VMStatus::Terminating
    );
    assert_eq!(
        connection.terminate_vm("vm-1").await.unwrap_err().kind,
        DriverErrorKind::Conflict
    );
    tokio::time::sleep(settled).await;
    assert_eq!(
        connection.get_vm("vm-1").await.unwrap_err().kind,
        DriverErrorKind::NotFound
    );
    assert_eq!(
        connection.vm_status("vm-1").await.unwrap_err().kind,
        DriverErrorKind::NotFound
    );
    assert!(connection.list_vm_status().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_slow_terminate_does_not_block_reads() {
    let delay = Duration::from_millis(1500);
    let driver = MockDriver::in_memory();
    let connection = connect(&driver, connection_info()).await;
    let request = network(connection.as_ref()).await;
    connection.start_vm(&request).await.unwrap();

    let slow = connect(
        &driver,
        info_with(MOCK_NAME, &[("DelayAPI", "TerminateVM=1500")]),
    )
    .await;
    let started = Instant::now();
    let terminate = tokio::spawn(async move { slow.terminate_vm("vm-1").await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let read = Instant::now();
    connection.get_vm("vm-1").await.unwrap();
    assert!(
        read.elapsed() < Duration::from_millis(300),
        "GetVM took {:?}",
        read.elapsed()
    );

    assert_eq!(terminate.await.unwrap().unwrap(), VMStatus::Terminated);
    assert!(started.elapsed() >= delay);
}

#[tokio::test]
async fn refusals_name_the_api_and_the_resource() {
    let connection = connect(&MockDriver::in_memory(), connection_info()).await;
    let request = network(connection.as_ref()).await;
    let refused = async |result: DriverResult<()>, kind: DriverErrorKind, message: &str| {
        let err = result.unwrap_err();
        assert_eq!((err.kind, err.message.as_str()), (kind, message));
    };
    use DriverErrorKind::{Conflict, Invalid, NotFound};

    let err = connection.get_vpc("x").await.unwrap_err();
    assert_eq!(
        err.message,
        "GetVPC: VPC 'x' does not exist in the mock cloud"
    );
    assert_eq!(err.kind, NotFound);
    refused(
        connection.create_key_pair("kp-1").await.map(drop),
        Conflict,
        "CreateKey: key pair 'kp-1' already exists in the mock cloud",
    )
    .await;
    let subnet = |name: &str, cidr: &str| SubnetRequest {
        name: name.into(),
        zone: String::new(),
        ipv4_cidr: cidr.into(),
    };
    refused(
        connection
            .add_subnet("vpc-1", &subnet("subnet-2", "10.77.1.128/25"))
            .await
            .map(drop),
        Invalid,
        "AddSubnet: subnet CIDR '10.77.1.128/25' overlaps subnet 'subnet-1' (10.77.1.0/24)",
    )
    .await;
    refused(
        connection
            .add_subnet("vpc-1", &subnet("subnet-1", "10.77.2.0/24"))
            .await
            .map(drop),
        Conflict,
        "AddSubnet: subnet 'subnet-1' already exists in the mock cloud",
    )
    .await;
    let orphan = SecurityGroupRequest {
        name: "sg-2".into(),
        vpc_id: "vpc-9".into(),
        rules: Vec::new(),
    };
    refused(
        connection.create_security_group(&orphan).await.map(drop),
        NotFound,
        "CreateSecurity: VPC 'vpc-9' does not exist in the mock cloud",
    )
    .await;
    refused(
        connection.add_rules("sg-1", &[ssh_rule()]).await.map(drop),
        Conflict,
        "AddRules: security group 'sg-1' already has the rule inbound TCP 22-22 0.0.0.0/0",
    )
    .await;

    for (field, message) in [
        (
            "image",
            "CreateNIC: image 'nope' does not exist in the mock cloud",
        ),
        (
            "spec",
            "CreateNIC: spec 'nope' does not exist in the mock cloud",
        ),
        (
            "subnet",
            "CreateNIC: subnet 'nope' does not exist in VPC 'vpc-1'",
        ),
        (
            "security group",
            "CreateNIC: security group 'nope' does not exist in the mock cloud",
        ),
        (
            "key pair",
            "CreateNIC: key pair 'nope' does not exist in the mock cloud",
        ),
    ] {
        let mut bad = request.clone();
        let target = match field {
            "image" => &mut bad.image_id,
            "spec" => &mut bad.spec_name,
            "subnet" => &mut bad.subnet_id,
            "security group" => &mut bad.security_group_ids[0],
            _ => &mut bad.key_pair_id,
        };
        *target = "nope".into();
        refused(connection.start_vm(&bad).await.map(drop), NotFound, message).await;
    }

    connection.start_vm(&request).await.unwrap();
    refused(
        connection.start_vm(&request).await.map(drop),
        Conflict,
        "CreateNIC: VM 'vm-1' already exists in the mock cloud",
    )
    .await;
    refused(
        connection.delete_vpc("vpc-1").await,
        Conflict,
        "DeleteVPC: VPC 'vpc-1' still has security group 'sg-1'",
    )
    .await;
    refused(
        connection.remove_subnet("vpc-1", "subnet-1").await,
        Conflict,
        "RemoveSubnet: subnet 'subnet-1' is in use by VM 'vm-1'",
    )
    .await;
    refused(
        connection.delete_security_group("sg-1").await,
        Conflict,
        "DeleteSecurity: security group 'sg-1' is in use by VM 'vm-1'",
    )
    .await;
    connection
        .delete_key_pair("kp-1")
        .await
        .expect("a key pair in use may go, as on AWS");
    assert_eq!(
        connection
            .get_vm("vm-1")
            .await
            .unwrap()
            .key_pair_iid
            .system_id,
        "kp-1"
    );

    connection.terminate_vm("vm-1").await.unwrap();
    connection.delete_security_group("sg-1").await.unwrap();
    connection.delete_vpc("vpc-1").await.unwrap();
    assert!(
        connection
            .list_ids(ResourceKind::Subnet)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Two replicas: two drivers sharing one store, as two server processes share a database.
#[tokio::test]
async fn two_drivers_on_one_store_see_one_cloud_and_lose_no_change() {
    let store = Arc::new(MemoryStore::default());
    let a = connect(
        &driver_with(store.clone(), Duration::ZERO),
        connection_info(),
    )
    .await;
    let b = connect(
        &driver_with(store.clone(), Duration::ZERO),
        connection_info(),
    )
    .await;
    a.create_key_pair("made-on-a").await.unwrap();
    assert_eq!(
        b.get_key_pair("made-on-a").await.unwrap().iid.name_id,
        "made-on-a"
    );

    let a: Arc<dyn Connection> = Arc::from(a);
    let b: Arc<dyn Connection> = Arc::from(b);
    let writers = (0..20).map(|n| {
        let replica = if n % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { replica.create_key_pair(&format!("kp-{n}")).await })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.unwrap().unwrap();
    }
    assert_eq!(
        a.list_key_pairs().await.unwrap().len(),
        21,
        "every change kept"
    );
}
