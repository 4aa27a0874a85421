//! One command's dealings with the server: the client, the output format, the connection, and
//! the requests every group makes the same way.

use clap::Args;
use reqwest::Method;
use serde_json::{Value, json};

use crate::args::{Create, Global};
use crate::body::{self, Fields};
use crate::client::{Call, Client};
use crate::error::Error;
use crate::output::{Format, Listing, Shape, print, render};

pub struct Session {
    client: Client,
    format: Format,
    connection: Option<String>,
}

impl Session {
    pub fn new(global: Global, connection: Option<String>) -> Self {
        Self {
            client: Client::new(global.server, global.username, global.password),
            format: Format::or_default(global.output),
            connection: connection.filter(|name| !name.trim().is_empty()),
        }
    }

    /// The `-c` connection, which a connection's resources need.
    pub fn connection(&self) -> Result<&str, Error> {
        self.connection.as_deref().ok_or_else(Error::no_connection)
    }

    /// The `-c` connection if given, where it may be left out: a filter, or a body's default.
    pub fn given_connection(&self) -> Option<&str> {
        self.connection.as_deref()
    }

    pub async fn send(&self, call: Call<'_>) -> Result<Value, Error> {
        self.client.send(call).await
    }

    pub fn show(&self, answer: &Value, shape: &Shape) {
        print(&render(self.format, answer, shape));
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// GETs a connection's resource(s), the connection as `?ConnectionName=`.
    pub async fn read(&self, path: &[&str]) -> Result<Value, Error> {
        let connection = self.connection()?;
        self.send(Call::get(path).query("ConnectionName", Some(connection)))
            .await
    }

    /// The body of a resource create: `-d`, the connection, the name and the flags.
    pub fn create_body<F: Args + Fields>(&self, create: Create<F>) -> Result<Value, Error> {
        body::envelope(
            create.data.data,
            self.connection.as_deref(),
            create.name.as_deref(),
            create.fields.fields(),
        )
    }

    /// POSTs a resource create and shows what the server made.
    pub async fn create<F: Args + Fields>(
        &self,
        path: &[&str],
        create: Create<F>,
    ) -> Result<(), Error> {
        let body = self.create_body(create)?;
        let answer = self.send(Call::new(Method::POST, path).body(body)).await?;
        self.show(&answer, &Shape::Object);
        Ok(())
    }

    /// DELETEs a connection's resource, the connection in the body as the contract has it.
    pub async fn delete(&self, path: &[&str], force: bool) -> Result<Value, Error> {
        let body = json!({ "ConnectionName": self.connection()? });
        self.send(
            Call::new(Method::DELETE, path)
                .query("force", force.then_some("true"))
                .body(body),
        )
        .await
    }

    /// Shows one of a connection's resources.
    pub async fn get(&self, path: &[&str]) -> Result<(), Error> {
        let answer = self.read(path).await?;
        self.show(&answer, &Shape::Object);
        Ok(())
    }

    /// Shows a list of a connection's resources.
    pub async fn list(&self, path: &[&str], listing: &Listing) -> Result<(), Error> {
        let answer = self.read(path).await?;
        self.show(&answer, &Shape::List(listing));
        Ok(())
    }
}
