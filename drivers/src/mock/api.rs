//! The mock cloud's API names: what the call history records and what `FailAPI`/`DelayAPI`
//! name. CB-Spider's mock names, plus the steps a real cloud takes to start a VM.

use std::fmt;

macro_rules! apis {
    ($($name:ident),* $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(super) enum Api {
            $($name),*
        }

        impl Api {
            const ALL: &[Api] = &[$(Api::$name),*];

            pub(super) const fn as_str(self) -> &'static str {
                match self {
                    $(Api::$name => stringify!($name)),*
                }
            }
        }
    };
}

apis! {
    ListImage, GetImage,
    ListVMSpec, GetVMSpec, ListOrgVMSpec, GetOrgVMSpec,
    CreateVPC, ListVPC, GetVPC, DeleteVPC, AddSubnet, RemoveSubnet,
    CreateSecurity, ListSecurity, GetSecurity, DeleteSecurity, AddRules, RemoveRules,
    CreateKey, ListKey, GetKey, DeleteKey,
    CreateNIC, AllocatePublicIP, StartVM, ReleasePublicIP, DeleteNIC,
    SuspendVM, ResumeVM, RebootVM, TerminateVM,
    GetVM, ListVM, GetVMStatus, ListVMStatus,
    ListIID,
}

impl Api {
    /// The API with this name, matched case-insensitively as credential values are typed by
    /// hand.
    pub(super) fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|api| api.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_in_any_case() {
        for &api in Api::ALL {
            assert_eq!(Api::parse(api.as_str()), Some(api));
        }
        assert_eq!(Api::parse("startvm"), Some(Api::StartVM));
        assert_eq!(Api::parse("RunInstances"), None);
    }
}
