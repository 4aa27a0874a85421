//! The topology as laid-out boxes and links: one column per kind, each box in the row its
//! parent's order gives it.

use spinneret_drivers::model::{SecurityInfo, VMInfo, VPCInfo};

/// The columns, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Vpc,
    Subnet,
    Vm,
    SecurityGroup,
}

impl Column {
    pub const ALL: [Column; 4] = [
        Column::Vpc,
        Column::Subnet,
        Column::Vm,
        Column::SecurityGroup,
    ];

    pub const fn index(self) -> usize {
        self as usize
    }

    pub const fn heading(self) -> &'static str {
        match self {
            Column::Vpc => "VPCs",
            Column::Subnet => "Subnets",
            Column::Vm => "VMs",
            Column::SecurityGroup => "Security groups",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub column: Column,
    /// From the top of its column.
    pub row: usize,
    pub name: String,
    /// A CIDR, a VM's status or a group's VPC.
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    /// Links as (from, to) indexes into `nodes`, drawn left to right.
    pub links: Vec<(usize, usize)>,
}

impl Graph {
    fn add(&mut self, column: Column, name: &str, detail: String) -> usize {
        let row = self.rows(column);
        self.nodes.push(Node {
            column,
            row,
            name: name.to_owned(),
            detail,
        });
        self.nodes.len() - 1
    }

    /// How many boxes `column` holds.
    pub fn rows(&self, column: Column) -> usize {
        self.nodes
            .iter()
            .filter(|node| node.column == column)
            .count()
    }

    /// Subnets follow their VPC's order and VMs their subnet's, so links mostly run straight.
    pub fn of(vpcs: &[VPCInfo], groups: &[SecurityInfo], vms: &[VMInfo]) -> Self {
        let mut graph = Graph::default();
        // A subnet's name is unique only within its VPC: remember each by (VPC, subnet).
        let mut subnets = Vec::new();
        for vpc in vpcs {
            let at = graph.add(Column::Vpc, &vpc.iid.name_id, vpc.ipv4_cidr.clone());
            for subnet in &vpc.subnet_info_list {
                let node = graph.add(
                    Column::Subnet,
                    &subnet.iid.name_id,
                    subnet.ipv4_cidr.clone(),
                );
                graph.links.push((at, node));
                subnets.push((vpc.iid.name_id.as_str(), subnet.iid.name_id.as_str(), node));
            }
        }
        let mut placed: Vec<&VMInfo> = vms.iter().collect();
        let subnet_rank = |vm: &VMInfo| {
            subnets
                .iter()
                .position(|(vpc, subnet, _)| {
                    *vpc == vm.vpc_iid.name_id && *subnet == vm.subnet_iid.name_id
                })
                .unwrap_or(usize::MAX)
        };
        placed.sort_by_key(|vm| subnet_rank(vm));
        let mut vm_nodes = Vec::with_capacity(placed.len());
        for vm in placed {
            let status = vm.status.map(|status| status.as_str()).unwrap_or_default();
            let node = graph.add(Column::Vm, &vm.iid.name_id, status.to_owned());
            if let Some((_, _, subnet)) = subnets.iter().find(|(vpc, subnet, _)| {
                *vpc == vm.vpc_iid.name_id && *subnet == vm.subnet_iid.name_id
            }) {
                graph.links.push((*subnet, node));
            }
            vm_nodes.push((vm, node));
        }
        for group in groups {
            let node = graph.add(
                Column::SecurityGroup,
                &group.iid.name_id,
                format!("VPC {}", group.vpc_iid.name_id),
            );
            for (vm, vm_node) in &vm_nodes {
                if vm
                    .security_group_iids
                    .iter()
                    .any(|used| used.name_id == group.iid.name_id)
                {
                    graph.links.push((*vm_node, node));
                }
            }
        }
        // A VM whose subnet is gone still shows, unlinked, as does a group without VMs.
        graph
    }
}

#[cfg(test)]
mod tests {
    use spinneret_drivers::model::{Iid, SubnetInfo, VMStatus};

    use super::*;

    fn iid(name: &str) -> Iid {
        Iid::new(name.to_owned(), format!("{name}-id"))
    }

    fn vpc(name: &str, subnets: &[&str]) -> VPCInfo {
        VPCInfo {
            iid: iid(name),
            ipv4_cidr: "10.0.0.0/16".into(),
            subnet_info_list: subnets
                .iter()
                .map(|subnet| SubnetInfo {
                    iid: iid(subnet),
                    ..SubnetInfo::default()
                })
                .collect(),
            ..VPCInfo::default()
        }
    }

    fn vm(name: &str, vpc: &str, subnet: &str, groups: &[&str]) -> VMInfo {
        VMInfo {
            iid: iid(name),
            vpc_iid: iid(vpc),
            subnet_iid: iid(subnet),
            security_group_iids: groups.iter().map(|group| iid(group)).collect(),
            status: Some(VMStatus::Running),
            ..VMInfo::default()
        }
    }

    fn named(graph: &Graph, column: Column, name: &str) -> usize {
        graph
            .nodes
            .iter()
            .position(|node| node.column == column && node.name == name)
            .unwrap()
    }

    #[test]
    fn each_kind_links_to_what_it_belongs_to() {
        // Two VPCs, each with a subnet called `subnet-a`: a VM links to its own VPC's.
        let vpcs = [
            vpc("vpc-1", &["subnet-a"]),
            vpc("vpc-2", &["subnet-a", "subnet-b"]),
        ];
        let groups = [SecurityInfo {
            iid: iid("sg-1"),
            vpc_iid: iid("vpc-2"),
            ..SecurityInfo::default()
        }];
        let vms = [
            vm("vm-late", "vpc-2", "subnet-b", &["sg-1"]),
            vm("vm-early", "vpc-2", "subnet-a", &["sg-1"]),
        ];
        let graph = Graph::of(&vpcs, &groups, &vms);

        assert_eq!(graph.rows(Column::Subnet), 3);
        let early = named(&graph, Column::Vm, "vm-early");
        let late = named(&graph, Column::Vm, "vm-late");
        assert!(
            graph.nodes[early].row < graph.nodes[late].row,
            "VMs follow their subnets' order"
        );
        let vpc2_subnet_a = graph
            .links
            .iter()
            .find(|(from, to)| {
                *from == named(&graph, Column::Vpc, "vpc-2") && graph.nodes[*to].name == "subnet-a"
            })
            .unwrap()
            .1;
        assert!(graph.links.contains(&(vpc2_subnet_a, early)));
        let group = named(&graph, Column::SecurityGroup, "sg-1");
        assert!(graph.links.contains(&(early, group)));
        assert!(graph.links.contains(&(late, group)));
        assert_eq!(graph.links.len(), 3 + 2 + 2);
        assert_eq!(graph.nodes[early].detail, "Running");
    }

    #[test]
    fn an_empty_connection_has_no_boxes() {
        let graph = Graph::of(&[], &[], &[]);
        assert!(graph.nodes.is_empty() && graph.links.is_empty());
    }
}
