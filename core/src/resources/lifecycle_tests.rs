//! The durable lifecycle: deletes during creates, takeovers of interrupted operations, and
//! failed starts that hold nothing, on SQLite and PostgreSQL.

use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QueryFilter};
use spinneret_drivers::contract::VpcRequest;
use spinneret_drivers::model::{
    KeyValue, ResourceKind, SecurityInfo, SecurityRuleInfo, VMStatus, VPCReqInfo,
};

use super::store::{NewRecord, ResourceState};
use super::tests::{CONN, mock_connection, network, vm};
use crate::entity::resource;
use crate::test_support::storage_tests;
use crate::{Core, ErrorKind};

/// What a crash leaves: every lease run out, as if its replica had died.
async fn expire_leases(core: &Core) {
    resource::Entity::update_many()
        .col_expr(resource::Column::LeaseUntilMicros, Expr::value(0i64))
        .filter(sea_orm::ColumnTrait::ne(&resource::Column::LeaseOwner, ""))
        .exec(&core.inner.db)
        .await
        .unwrap();
}

/// Nothing of `kind` exists at the cloud that Spinneret does not know of.
async fn assert_no_orphans(core: &Core, kind: ResourceKind) {
    let all = core.all_resources(CONN, kind).await.unwrap();
    assert!(
        all.only_csp_list.is_empty(),
        "{kind} orphaned at the cloud: {all:?}"
    );
}

fn vpc_request(name: &str) -> VPCReqInfo {
    VPCReqInfo {
        name: name.into(),
        ipv4_cidr: "10.9.0.0/16".into(),
        subnet_info_list: Vec::new(),
    }
}

async fn a_delete_during_a_create_is_refused_and_a_forced_one_cancels_it(core: Core) {
    mock_connection(&core, &[("DelayAPI", "CreateVPC=600")]).await;
    let creating = tokio::spawn({
        let core = core.clone();
        async move { core.create_vpc(CONN, vpc_request("vpc-slow")).await }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;

    let refused = core.delete_vpc(CONN, "vpc-slow", false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    assert!(refused.message().contains("is being created"), "{refused}");
    core.delete_vpc(CONN, "vpc-slow", true).await.unwrap();

    let create = creating.await.unwrap().unwrap_err();
    assert_eq!(create.kind(), ErrorKind::Conflict);
    assert!(
        create
            .message()
            .contains("deleted while it was being created"),
        "{create}"
    );
    assert!(core.list_vpcs(CONN).await.unwrap().is_empty());
    assert_no_orphans(&core, ResourceKind::Vpc).await;
}

async fn a_create_cut_off_before_the_cloud_made_it_is_failed_on_takeover(core: Core) {
    mock_connection(&core, &[]).await;
    // A replica reserved the name, then died before its cloud call.
    core.store()
        .reserve(
            CONN,
            vec![NewRecord::creating(ResourceKind::Vpc, "", "vpc-lost")],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(core.reconcile().await.unwrap(), 0, "the lease still holds");
    expire_leases(&core).await;
    assert_eq!(core.reconcile().await.unwrap(), 1);

    let row = core
        .store()
        .find(CONN, ResourceKind::Vpc, "", "vpc-lost")
        .await
        .unwrap();
    assert_eq!(row.state, ResourceState::Failed);
    let listed = core.list_vpcs(CONN).await.unwrap();
    assert_eq!(listed[0].iid.name_id, "vpc-lost");
    core.delete_vpc(CONN, "vpc-lost", false).await.unwrap();
    assert!(core.list_vpcs(CONN).await.unwrap().is_empty());
    assert_no_orphans(&core, ResourceKind::Vpc).await;
}

async fn a_create_the_cloud_finished_is_adopted_on_takeover(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    // A replica made the VPC at the cloud and died before storing the answer.
    let reserved = core
        .store()
        .reserve(
            CONN,
            vec![NewRecord::creating(ResourceKind::Vpc, "", "vpc-made")],
            &[],
        )
        .await
        .unwrap();
    let cloud = core.connect(CONN).await.unwrap();
    cloud
        .create_vpc(&VpcRequest {
            name: reserved[0].cloud_name.clone(),
            ipv4_cidr: "10.8.0.0/16".into(),
            subnets: Vec::new(),
        })
        .await
        .unwrap();
    // And a VM it had started.
    core.start_vm(CONN, vm("vm-made")).await.unwrap();
    let vm_row = core
        .store()
        .find(CONN, ResourceKind::Vm, "", "vm-made")
        .await
        .unwrap();
    core.store().remove(vm_row.id).await.unwrap();
    let mut again = NewRecord::creating(ResourceKind::Vm, "", "vm-made");
    again.cloud_name = vm_row.cloud_name.clone();
    core.store().reserve(CONN, vec![again], &[]).await.unwrap();

    expire_leases(&core).await;
    assert_eq!(core.reconcile().await.unwrap(), 2);

    let vpc = core.get_vpc(CONN, "vpc-made").await.unwrap();
    assert_eq!(vpc.ipv4_cidr, "10.8.0.0/16");
    assert_eq!(vpc.iid.system_id, reserved[0].cloud_name);
    let vm_now = core.get_vm(CONN, "vm-made").await.unwrap();
    assert_eq!(vm_now.status, Some(VMStatus::Running), "{vm_now:?}");
    assert_eq!(vm_now.iid.system_id, vm_row.cloud_name);
    assert_no_orphans(&core, ResourceKind::Vpc).await;
    assert_no_orphans(&core, ResourceKind::Vm).await;
}

async fn a_delete_cut_off_is_finished_on_takeover(core: Core) {
    mock_connection(&core, &[]).await;
    core.create_vpc(CONN, vpc_request("vpc-going"))
        .await
        .unwrap();
    let row = core
        .store()
        .find(CONN, ResourceKind::Vpc, "", "vpc-going")
        .await
        .unwrap();
    assert!(
        core.store()
            .compare_and_set(row.id, &[ResourceState::Ready], ResourceState::Deleting)
            .await
            .unwrap()
    );
    let busy = core.delete_vpc(CONN, "vpc-going", true).await.unwrap_err();
    assert!(busy.message().contains("already being deleted"), "{busy}");

    expire_leases(&core).await;
    assert_eq!(core.reconcile().await.unwrap(), 1);
    assert!(core.list_vpcs(CONN).await.unwrap().is_empty());
    let all = core.all_resources(CONN, ResourceKind::Vpc).await.unwrap();
    assert!(
        all.only_csp_list.is_empty() && all.mapped_list.is_empty(),
        "{all:?}"
    );
}

async fn a_failed_start_holds_nothing(core: Core) {
    mock_connection(&core, &[("FailAPI", "StartVM")]).await;
    network(&core).await;
    core.start_vm(CONN, vm("vm-never")).await.unwrap_err();
    // The Failed VM stays listed with its error, and its network is free.
    let failed = core.get_vm(CONN, "vm-never").await.unwrap();
    assert_eq!(failed.status, Some(VMStatus::Failed));
    assert!(
        failed
            .key_value_list
            .iter()
            .any(|kv: &KeyValue| kv.key == "Error")
    );
    core.delete_resource(CONN, ResourceKind::SecurityGroup, "sg-01", false)
        .await
        .unwrap();
    core.delete_resource(CONN, ResourceKind::KeyPair, "kp-01", false)
        .await
        .unwrap();
    core.delete_vpc(CONN, "vpc-01", false).await.unwrap();
    core.terminate_vm(CONN, "vm-never", false).await.unwrap();
    assert!(core.list_vms(CONN).await.unwrap().is_empty());
}

fn http_rule() -> SecurityRuleInfo {
    SecurityRuleInfo {
        direction: "inbound".into(),
        ip_protocol: "TCP".into(),
        from_port: "80".into(),
        to_port: "80".into(),
        cidr: "0.0.0.0/0".into(),
    }
}

async fn changes_take_turns_and_outlive_a_hang_up(core: Core) {
    mock_connection(&core, &[("DelayAPI", "AddRules=500")]).await;
    network(&core).await;
    // The client gives up after 100 ms; the change goes on without it.
    let hung_up = tokio::time::timeout(
        Duration::from_millis(100),
        core.add_rules(CONN, "sg-01", &[http_rule()]),
    )
    .await;
    assert!(hung_up.is_err(), "the add was still under way");
    let second = core
        .add_rules(CONN, "sg-01", &[http_rule()])
        .await
        .unwrap_err();
    assert_eq!(second.kind(), ErrorKind::Conflict);
    assert!(second.message().contains("being changed"), "{second}");

    tokio::time::sleep(Duration::from_millis(700)).await;
    let group = core.get_security_group(CONN, "sg-01").await.unwrap();
    assert!(group.security_rules.contains(&http_rule()), "{group:?}");
    // The change is over: the next one runs.
    core.remove_rules(CONN, "sg-01", &[http_rule()])
        .await
        .unwrap();
}

async fn a_change_cut_off_is_settled_from_the_cloud(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    let row = core
        .store()
        .find(CONN, ResourceKind::SecurityGroup, "", "sg-01")
        .await
        .unwrap();
    // A replica recorded the change, made it at the cloud, then died.
    assert!(core.store().begin_change(row.id, "AddRules").await.unwrap());
    let cloud = core.connect(CONN).await.unwrap();
    cloud
        .add_rules(&row.system_id, &[http_rule()])
        .await
        .unwrap();
    let refused = core.remove_rules(CONN, "sg-01", &[http_rule()]).await;
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::Conflict);

    expire_leases(&core).await;
    assert_eq!(core.reconcile().await.unwrap(), 1);
    let settled = core
        .store()
        .find(CONN, ResourceKind::SecurityGroup, "", "sg-01")
        .await
        .unwrap();
    assert_eq!(settled.operation, "");
    let stored: SecurityInfo = settled.info();
    assert!(stored.security_rules.contains(&http_rule()), "{stored:?}");
    core.remove_rules(CONN, "sg-01", &[http_rule()])
        .await
        .unwrap();
}

async fn a_subnet_removal_cut_off_is_finished(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    let subnet = core
        .store()
        .find(CONN, ResourceKind::Subnet, "vpc-01", "subnet-b")
        .await
        .unwrap();
    assert!(
        core.store()
            .compare_and_set(subnet.id, &[ResourceState::Ready], ResourceState::Deleting)
            .await
            .unwrap()
    );
    expire_leases(&core).await;
    assert_eq!(core.reconcile().await.unwrap(), 1);
    let vpc = core.get_vpc(CONN, "vpc-01").await.unwrap();
    let names: Vec<&str> = vpc
        .subnet_info_list
        .iter()
        .map(|listed| listed.iid.name_id.as_str())
        .collect();
    assert_eq!(names, ["subnet-a"]);
    assert_no_orphans(&core, ResourceKind::Subnet).await;
}

storage_tests!(
    changes_take_turns_and_outlive_a_hang_up,
    a_change_cut_off_is_settled_from_the_cloud,
    a_subnet_removal_cut_off_is_finished,
    a_delete_during_a_create_is_refused_and_a_forced_one_cancels_it,
    a_create_cut_off_before_the_cloud_made_it_is_failed_on_takeover,
    a_create_the_cloud_finished_is_adopted_on_takeover,
    a_delete_cut_off_is_finished_on_takeover,
    a_failed_start_holds_nothing,
);
