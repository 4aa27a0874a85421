//! An AWS connection pointed at moto_server (the EC2 API emulator), driven through the REST
//! API like an operator would: VPC → security group → key pair → VM → suspend → resume →
//! reboot → terminate → deletes, with the EC2 calls checked in the call history.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use spinneret_drivers::aws::moto::{Moto, REGION, ZONE};

use common::{TestServer, apis_of, start, suspend_resume_reboot, traced, wait_until_no_vms};

const CN: &str = "aws-config";

async fn register_aws_connection(server: &TestServer, moto: &Moto) {
    let steps = [
        (
            "/spider/driver",
            json!({"DriverName": "aws-driver", "ProviderName": "AWS"}),
        ),
        (
            "/spider/credential",
            json!({"CredentialName": "aws-cred", "ProviderName": "AWS", "KeyValueInfoList": [
                {"Key": "ClientId", "Value": "testing"}, {"Key": "ClientSecret", "Value": "testing"}]}),
        ),
        (
            "/spider/region",
            json!({"RegionName": "aws-region", "ProviderName": "AWS", "KeyValueInfoList": [
                {"Key": "Region", "Value": REGION}, {"Key": "Zone", "Value": ZONE},
                {"Key": "Endpoint", "Value": moto.endpoint()}]}),
        ),
        (
            "/spider/connectionconfig",
            json!({"ConfigName": CN, "ProviderName": "AWS", "DriverName": "aws-driver",
                "CredentialName": "aws-cred", "RegionName": "aws-region"}),
        ),
    ];
    for (path, body) in steps {
        let (status, answer) = server.post(path, body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
}

/// The first Linux image moto offers.
async fn linux_image(server: &TestServer) -> String {
    let (status, images) = server
        .get(&format!("/spider/vmimage?ConnectionName={CN}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{images}");
    images["image"]
        .as_array()
        .unwrap()
        .iter()
        .find(|image| image["OSPlatform"] == "Linux/UNIX")
        .expect("moto offers a Linux image")["IId"]["SystemId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_operator_flow_on_moto() {
    let moto = Moto::start().await;
    moto.reset().await;
    let server = start().await;
    register_aws_connection(&server, &moto).await;
    let image = linux_image(&server).await;

    let (status, vpc) = server
        .post("/spider/vpc", json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "10.0.0.0/16",
            "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"}, {"Name": "subnet-02", "IPv4_CIDR": "10.0.2.0/24", "Zone": "us-east-1b"}]}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{vpc}");
    assert!(
        vpc["IId"]["SystemId"].as_str().unwrap().starts_with("vpc-"),
        "{vpc}"
    );
    assert_eq!(vpc["SubnetInfoList"][0]["Zone"], ZONE);
    assert_eq!(vpc["SubnetInfoList"][1]["Zone"], "us-east-1b");
    let (status, sg) = server
        .post("/spider/securitygroup", json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-01", "VPCName": "vpc-01",
            "SecurityRules": [{"Direction": "inbound", "IPProtocol": "tcp", "FromPort": "22", "ToPort": "22"},
                              {"Direction": "inbound", "IPProtocol": "icmp", "FromPort": "-1", "ToPort": "-1"},
                              {"Direction": "outbound", "IPProtocol": "all", "FromPort": "-1", "ToPort": "-1"}]}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{sg}");
    let (_, fetched) = server
        .get(&format!("/spider/securitygroup/sg-01?ConnectionName={CN}"))
        .await;
    assert_eq!(
        fetched["SecurityRules"].as_array().unwrap().len(),
        3,
        "{fetched}"
    );
    let (status, key) = server
        .post(
            "/spider/keypair",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "keypair-01"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{key}");
    assert!(
        key["PrivateKey"].as_str().unwrap().contains("PRIVATE KEY"),
        "{key}"
    );

    let start_vm = server.request(Method::POST, "/spider/vm").json(&json!({"ConnectionName": CN,
        "ReqInfo": {"Name": "vm-01", "ImageName": image, "VMSpecName": "t3.micro", "VPCName": "vpc-01",
        "SubnetName": "subnet-01", "SecurityGroupNames": ["sg-01"], "KeyPairName": "keypair-01"}}));
    let (status, vm, start_id) = traced(start_vm).await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(vm["Status"], "Running");
    assert_eq!(vm["IId"]["NameId"], "vm-01");
    assert!(
        vm["IId"]["SystemId"].as_str().unwrap().starts_with("i-"),
        "{vm}"
    );
    assert_eq!(vm["SubnetIID"]["NameId"], "subnet-01");
    assert_eq!(vm["SecurityGroupIIds"][0]["NameId"], "sg-01");
    assert!(
        vm["PrivateIP"].as_str().unwrap().starts_with("10.0.1."),
        "{vm}"
    );
    let start_calls = apis_of(&server, CN, &start_id).await;
    // moto runs an instance at once: one launch, and one look that sees it Running and
    // describes it whole.
    assert_eq!(
        start_calls,
        ["RunInstances", "DescribeInstances"],
        "StartVM's EC2 calls"
    );
    // The VM's own history: filed under its name, though EC2 knows it as i-….
    let (_, of_vm) = server
        .get(&format!(
            "/spider/calllog?ConnectionName={CN}&ResourceName=vm-01"
        ))
        .await;
    let of_vm: Vec<&str> = of_vm["calllog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["CloudOSAPI"].as_str().unwrap())
        .collect();
    assert!(of_vm.contains(&"RunInstances"), "{of_vm:?}");
    assert!(!of_vm.contains(&"CreateVpc"), "{of_vm:?}");

    suspend_resume_reboot(&server, CN).await;
    let (status, answer) = server.delete_in(CN, "/spider/vpc/vpc-01").await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");

    let terminate = server
        .request(Method::DELETE, "/spider/vm/vm-01")
        .json(&json!({"ConnectionName": CN}));
    let (status, answer, terminate_id) = traced(terminate).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let terminate_calls = apis_of(&server, CN, &terminate_id).await;
    println!("TerminateVM EC2 calls: {terminate_calls:?}");
    assert!(
        terminate_calls.contains(&"TerminateInstances".to_owned()),
        "{terminate_calls:?}"
    );
    wait_until_no_vms(&server, CN).await;

    for path in [
        "/spider/securitygroup/sg-01",
        "/spider/keypair/keypair-01",
        "/spider/vpc/vpc-01",
    ] {
        let (status, answer) = server.delete_in(CN, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
    let (_, history) = server
        .get(&format!("/spider/calllog/stats?ConnectionName={CN}"))
        .await;
    let apis: Vec<&str> = history["stats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stat| stat["CloudOSAPI"].as_str().unwrap())
        .collect();
    for expected in [
        "DescribeImages",
        "CreateVpc",
        "CreateSubnet",
        "CreateSecurityGroup",
        "AuthorizeSecurityGroupIngress",
        "CreateKeyPair",
        "RunInstances",
        "DescribeInstances",
        "StopInstances",
        "StartInstances",
        "RebootInstances",
        "TerminateInstances",
        "DeleteSecurityGroup",
        "DeleteKeyPair",
        "DeleteSubnet",
        "DeleteVpc",
    ] {
        assert!(apis.contains(&expected), "{expected} missing from {apis:?}");
    }
}

#[tokio::test]
async fn an_instance_made_outside_is_listed_and_registered() {
    let moto = Moto::start().await;
    moto.reset().await;
    let server = start().await;
    register_aws_connection(&server, &moto).await;
    let image = linux_image(&server).await;

    // Someone launches an instance with the AWS SDK directly, not through Spinneret.
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new(REGION))
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .endpoint_url(moto.endpoint())
        .build();
    let ec2 = aws_sdk_ec2::Client::from_conf(config);
    let launched = ec2
        .run_instances()
        .image_id(&image)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap();
    let id = launched.instances()[0].instance_id().unwrap().to_owned();

    let (status, all) = server
        .get(&format!("/spider/allvm?ConnectionName={CN}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["AllList"]["OnlyCSPList"][0]["SystemId"], id);
    assert_eq!(all["AllList"]["MappedList"], json!([]));

    let (status, vm) = server
        .post(
            "/spider/regvm",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "adopted", "CSPId": id}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(vm["IId"], json!({"NameId": "adopted", "SystemId": id}));
    let (_, all) = server
        .get(&format!("/spider/allvm?ConnectionName={CN}"))
        .await;
    assert_eq!(all["AllList"]["MappedList"][0]["NameId"], "adopted");
    assert_eq!(all["AllList"]["OnlyCSPList"], json!([]));
    let (status, vm) = server
        .get(&format!("/spider/vm/adopted?ConnectionName={CN}"))
        .await;
    assert_eq!((status, &vm["Status"]), (StatusCode::OK, &json!("Running")));
}

/// Temporary keys for a role in account `account`, from moto's STS (the EC2 client never
/// calls STS itself; this stands in for an operator pasting another account's keys).
async fn keys_of_account(moto: &Moto, account: &str) -> [(String, String); 3] {
    let answer = reqwest::Client::new()
        .post(format!("{}/", moto.endpoint()))
        // moto tells the service from the credential scope.
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
        )
        .form(&[
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", &format!("arn:aws:iam::{account}:role/other")),
            ("RoleSessionName", "spinneret-test"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let field = |tag: &str| {
        let start = answer.find(&format!("<{tag}>")).expect(tag) + tag.len() + 2;
        let end = answer[start..].find('<').unwrap() + start;
        answer[start..end].to_owned()
    };
    [
        ("ClientId".to_owned(), field("AccessKeyId")),
        ("ClientSecret".to_owned(), field("SecretAccessKey")),
        ("SessionToken".to_owned(), field("SessionToken")),
    ]
}

fn aws_credential(keys: &[(String, String)]) -> Value {
    let pairs: Vec<Value> = keys
        .iter()
        .map(|(key, value)| json!({"Key": key, "Value": value}))
        .collect();
    json!({"CredentialName": "aws-cred", "ProviderName": "AWS", "KeyValueInfoList": pairs})
}

#[tokio::test]
async fn a_connection_with_resources_stays_on_its_aws_account() {
    let moto = Moto::start().await;
    let server = start().await;
    register_aws_connection(&server, &moto).await;
    let (status, vpc) = server
        .post(
            "/spider/vpc",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "10.0.0.0/16",
                "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vpc}");

    // New keys of the same account: a rotation, allowed.
    let rotated = [
        ("ClientId".to_owned(), "AKIAROTATEDKEY".to_owned()),
        ("ClientSecret".to_owned(), "rotated-secret".to_owned()),
    ];
    let (status, answer) = server
        .post("/spider/credential", aws_credential(&rotated))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    // Keys of another account: refused, naming the VPC and both accounts.
    let other = keys_of_account(&moto, "111111111111").await;
    let (status, answer) = server
        .post("/spider/credential", aws_credential(&other))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let message = answer["message"].as_str().unwrap();
    for part in [
        "VPC 'vpc-01'",
        "account 111111111111",
        "account 123456789012",
    ] {
        assert!(message.contains(part), "{message} names {part}");
    }

    // Another region: refused.
    let (status, answer) = server
        .post(
            "/spider/region",
            json!({"RegionName": "aws-region", "ProviderName": "AWS", "KeyValueInfoList": [
                {"Key": "Region", "Value": "us-west-2"}, {"Key": "Zone", "Value": "us-west-2a"},
                {"Key": "Endpoint", "Value": moto.endpoint()}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");

    // The rotated keys are the ones kept: the VPC still reads.
    let (status, answer) = server
        .get(&format!("/spider/vpc/vpc-01?ConnectionName={CN}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    // Once the connection holds nothing, it may move.
    let (status, answer) = server.delete_in(CN, "/spider/vpc/vpc-01").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = server
        .post("/spider/credential", aws_credential(&other))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}
