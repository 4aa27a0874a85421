//! The call recorder as an SDK interceptor: every EC2 operation, retries included, becomes one
//! call history record with its name, time and error. No handler writes history itself.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_ec2::config::interceptors::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_ec2::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ec2::error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use crate::contract::{CallRecorder, CloudCall};

/// When the operation started, kept in the operation's config bag.
#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

pub(super) struct HistoryInterceptor {
    recorder: Arc<dyn CallRecorder>,
}

impl HistoryInterceptor {
    pub fn new(recorder: Arc<dyn CallRecorder>) -> Self {
        Self { recorder }
    }
}

impl std::fmt::Debug for HistoryInterceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryInterceptor")
    }
}

/// The kind of resource an EC2 operation works on, for the history's `ResourceType`.
pub(super) fn resource_type(operation: &str) -> &'static str {
    const BY_WORD: [(&str, &str); 8] = [
        ("Image", "VMImage"),
        ("InstanceType", "VMSpec"),
        ("Subnet", "Subnet"),
        ("Vpc", "VPC"),
        ("SecurityGroup", "SecurityGroup"),
        ("KeyPair", "KeyPair"),
        ("Instance", "VM"),
        ("Tags", "Tag"),
    ];
    BY_WORD
        .iter()
        .find(|(word, _)| operation.contains(word))
        .map_or("EC2", |(_, kind)| kind)
}

impl Intercept for HistoryInterceptor {
    fn name(&self) -> &'static str {
        "SpinneretCallHistory"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let api = cfg.load::<Metadata>().map_or("Unknown", Metadata::name);
        let elapsed = cfg
            .load::<Started>()
            .map(|started| started.0.elapsed())
            .unwrap_or_default();
        let error = match context.output_or_error() {
            Some(Err(err)) => Some(aws_sdk_ec2::error::DisplayErrorContext(err).to_string()),
            _ => None,
        };
        self.recorder.record(CloudCall {
            resource_type: resource_type(api),
            resource_name: String::new(),
            api: api.to_owned(),
            elapsed,
            error,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_name_their_resource_type() {
        for (operation, kind) in [
            ("RunInstances", "VM"),
            ("DescribeInstanceTypes", "VMSpec"),
            ("DescribeImages", "VMImage"),
            ("CreateSubnet", "Subnet"),
            ("DeleteVpc", "VPC"),
            ("AuthorizeSecurityGroupIngress", "SecurityGroup"),
            ("CreateKeyPair", "KeyPair"),
        ] {
            assert_eq!(resource_type(operation), kind, "{operation}");
        }
    }
}
