//! Each group's REST mapping: its path under `/spider`, list wrapper key, name key and the
//! columns its list table shows (see docs/rest-api.md).

use crate::output::Cell::{At, Each, Pairs, Rules};
use crate::output::{Column, Listing, column};

/// A group whose records are listed and read (and mostly created and deleted) at one path.
pub struct Kind {
    /// What messages call one, e.g. "vpc".
    pub noun: &'static str,
    /// The collection's path segment, e.g. `vpc` for `/spider/vpc`.
    pub path: &'static str,
    pub listing: Listing,
}

/// A registry record's group: its body names it under its own key, where a connection's
/// resources use `ReqInfo.Name`.
pub struct Registered {
    pub kind: Kind,
    /// E.g. `DriverName`.
    pub name_key: &'static str,
}

const NAME: Column = column("NAME", At("/IId/NameId"));
const SYSTEM_ID: Column = column("SYSTEM ID", At("/IId/SystemId"));
const PROVIDER: Column = column("PROVIDER", At("/ProviderName"));

pub const DRIVER: Registered = Registered {
    name_key: "DriverName",
    kind: Kind {
        noun: "driver",
        path: "driver",
        listing: Listing {
            key: "driver",
            columns: &[
                column("NAME", At("/DriverName")),
                PROVIDER,
                column("LIBRARY", At("/DriverLibFileName")),
            ],
        },
    },
};

pub const CREDENTIAL: Registered = Registered {
    name_key: "CredentialName",
    kind: Kind {
        noun: "credential",
        path: "credential",
        // The values are hidden by the server: the keys say what the credential holds.
        listing: Listing {
            key: "credential",
            columns: &[
                column("NAME", At("/CredentialName")),
                PROVIDER,
                column("KEYS", Each("/KeyValueInfoList", "/Key")),
            ],
        },
    },
};

pub const REGION: Registered = Registered {
    name_key: "RegionName",
    kind: Kind {
        noun: "region",
        path: "region",
        listing: Listing {
            key: "region",
            columns: &[
                column("NAME", At("/RegionName")),
                PROVIDER,
                column("KEYS", Pairs("/KeyValueInfoList")),
                column("ZONES", Each("/AvailableZoneList", "")),
            ],
        },
    },
};

pub const CONNECTION: Registered = Registered {
    name_key: "ConfigName",
    kind: Kind {
        noun: "connection config",
        path: "connectionconfig",
        listing: Listing {
            key: "connectionconfig",
            columns: &[
                column("NAME", At("/ConfigName")),
                PROVIDER,
                column("DRIVER", At("/DriverName")),
                column("CREDENTIAL", At("/CredentialName")),
                column("REGION", At("/RegionName")),
            ],
        },
    },
};

pub const IMAGE: Kind = Kind {
    noun: "image",
    path: "vmimage",
    listing: Listing {
        key: "image",
        columns: &[
            NAME,
            column("ARCH", At("/OSArchitecture")),
            column("PLATFORM", At("/OSPlatform")),
            column("DISTRIBUTION", At("/OSDistribution")),
            column("STATUS", At("/ImageStatus")),
        ],
    },
};

pub const VMSPEC: Kind = Kind {
    noun: "vm spec",
    path: "vmspec",
    listing: Listing {
        key: "vmspec",
        columns: &[
            column("NAME", At("/Name")),
            column("VCPUS", At("/VCpu/Count")),
            column("MEMORY MIB", At("/MemSizeMiB")),
            column("DISK GB", At("/DiskSizeGB")),
            column("GPUS", Each("/Gpu", "/Count")),
        ],
    },
};

pub const VPC: Kind = Kind {
    noun: "vpc",
    path: "vpc",
    listing: Listing {
        key: "vpc",
        columns: &[
            NAME,
            column("CIDR", At("/IPv4_CIDR")),
            column("SUBNETS", Each("/SubnetInfoList", "/IId/NameId")),
            SYSTEM_ID,
        ],
    },
};

/// Subnets have no list route: `subnet list` shows the VPC's `SubnetInfoList` as `{"subnet":[...]}`.
pub const SUBNETS: Listing = Listing {
    key: "subnet",
    columns: &[
        NAME,
        column("CIDR", At("/IPv4_CIDR")),
        column("ZONE", At("/Zone")),
        SYSTEM_ID,
    ],
};

/// Rules have no list route: `rule list` shows the security group's `SecurityRules` as
/// `{"rule":[...]}`.
pub const RULES: Listing = Listing {
    key: "rule",
    columns: &[
        column("DIRECTION", At("/Direction")),
        column("PROTOCOL", At("/IPProtocol")),
        column("FROM", At("/FromPort")),
        column("TO", At("/ToPort")),
        column("CIDR", At("/CIDR")),
    ],
};

pub const SECURITY_GROUP: Kind = Kind {
    noun: "security group",
    path: "securitygroup",
    listing: Listing {
        key: "securitygroup",
        columns: &[
            NAME,
            column("VPC", At("/VpcIID/NameId")),
            column("RULES", Rules("/SecurityRules")),
            SYSTEM_ID,
        ],
    },
};

pub const KEYPAIR: Kind = Kind {
    noun: "key pair",
    path: "keypair",
    listing: Listing {
        key: "keypair",
        columns: &[
            NAME,
            column("FINGERPRINT", At("/Fingerprint")),
            column("USER", At("/VMUserID")),
            SYSTEM_ID,
        ],
    },
};

pub const VM: Kind = Kind {
    noun: "vm",
    path: "vm",
    listing: Listing {
        key: "vm",
        columns: &[
            NAME,
            column("STATUS", At("/Status")),
            column("IMAGE", At("/ImageIId/NameId")),
            column("SPEC", At("/VMSpecName")),
            column("VPC", At("/VpcIID/NameId")),
            column("PUBLIC IP", At("/PublicIP")),
            column("PRIVATE IP", At("/PrivateIP")),
        ],
    },
};

pub const VM_STATUSES: Listing = Listing {
    key: "vmstatus",
    columns: &[NAME, column("STATUS", At("/VmStatus"))],
};

pub const CALLS: Listing = Listing {
    key: "calllog",
    columns: &[
        column("TIME", At("/Time")),
        column("CONNECTION", At("/ConnectionName")),
        column("RESOURCE", At("/ResourceType")),
        column("NAME", At("/ResourceName")),
        column("API", At("/CloudOSAPI")),
        column("SECONDS", At("/ElapsedTime")),
        column("ERROR", At("/ErrorMSG")),
    ],
};

pub const CALL_STATS: Listing = Listing {
    key: "stats",
    columns: &[
        column("CLOUD", At("/CloudOS")),
        column("API", At("/CloudOSAPI")),
        column("CALLS", At("/Count")),
        column("ERRORS", At("/Errors")),
        column("P50 MS", At("/P50Ms")),
        column("P99 MS", At("/P99Ms")),
    ],
};
