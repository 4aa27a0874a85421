//! HTTP to the server's `/spider` routes: Basic auth, encoded paths and queries, JSON answers.

use std::time::Duration;

use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::error::Error;

pub struct Client {
    http: reqwest::Client,
    server: Url,
    username: String,
    password: Option<SecretString>,
}

/// One request: its path segments under `/spider`, query pairs and JSON body.
pub struct Call<'a> {
    method: Method,
    path: &'a [&'a str],
    query: Vec<(&'a str, &'a str)>,
    body: Option<Value>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, path: &'a [&'a str]) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub fn get(path: &'a [&'a str]) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn query(mut self, key: &'a str, value: Option<&'a str>) -> Self {
        if let Some(value) = value {
            self.query.push((key, value));
        }
        self
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

impl Client {
    pub fn new(server: Url, username: String, password: Option<SecretString>) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("spinneret-cli/", env!("CARGO_PKG_VERSION")))
            // No overall timeout: a VM start answers only once the VM runs.
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("the TLS backend initialises");
        Self {
            http,
            server,
            username,
            password,
        }
    }

    /// Sends the call and reads the JSON answer; an error status becomes `Error::Server` with
    /// the server's `message`.
    pub async fn send(&self, call: Call<'_>) -> Result<Value, Error> {
        let mut request = self
            .http
            .request(call.method, self.url(call.path))
            .basic_auth(
                &self.username,
                self.password.as_ref().map(ExposeSecret::expose_secret),
            )
            .query(&call.query);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|err| self.unreachable(&err))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|err| self.unreachable(&err))?;
        let answer = serde_json::from_str::<Value>(&text);
        match (status.is_success(), answer) {
            (true, Ok(answer)) => Ok(answer),
            (true, Err(_)) => Err(Error::Server {
                status,
                message: format!("the answer is not JSON: {}", excerpt(&text)),
            }),
            (false, answer) => Err(Error::Server {
                status,
                message: answer
                    .ok()
                    .and_then(|body| body["message"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| excerpt(&text)),
            }),
        }
    }

    /// `<server>/spider/<segments>`, each segment percent-encoded.
    fn url(&self, path: &[&str]) -> Url {
        let mut url = self.server.clone();
        url.path_segments_mut()
            .expect("an http(s) URL has a path")
            .pop_if_empty()
            .push("spider")
            .extend(path);
        url
    }

    fn unreachable(&self, err: &reqwest::Error) -> Error {
        Error::Unreachable {
            server: self.server.as_str().trim_end_matches('/').to_owned(),
            reason: causes(err),
        }
    }
}

/// The error's causes, which say what failed (refused, DNS, certificate), without reqwest's
/// own summary that repeats the URL.
fn causes(err: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    if err.is_timeout() {
        causes.push("timed out".into());
    }
    if causes.is_empty() {
        err.to_string()
    } else {
        causes.join(": ")
    }
}

/// At most a line of a non-JSON answer, e.g. a proxy's HTML error page.
fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None if line.is_empty() => "(empty answer)".into(),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(server: &str) -> Client {
        Client::new(server.parse().unwrap(), "admin".into(), None)
    }

    #[test]
    fn path_segments_are_encoded_under_spider() {
        let url = client("http://localhost:1024").url(&["vpc", "a b/c?d"]);
        assert_eq!(
            url.as_str(),
            "http://localhost:1024/spider/vpc/a%20b%2Fc%3Fd"
        );
        let url = client("https://spinneret.example/prefix/").url(&["vm"]);
        assert_eq!(url.as_str(), "https://spinneret.example/prefix/spider/vm");
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("<html>\n<body>"), "<html>");
        assert_eq!(excerpt(""), "(empty answer)");
        assert_eq!(excerpt(&"x".repeat(300)).len(), 203);
    }
}
