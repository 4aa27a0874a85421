//! `arm-emulator [PORT]`: the ARM emulator on 127.0.0.1 (a free port by default), for the
//! browser tests. Prints the base URL once it listens.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .map_or(Ok(0), |port| port.parse())
        .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidInput, err))?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("http://{}", listener.local_addr()?);
    let router = spinneret_arm_emulator::Emulator::default().router();
    axum::serve(listener, router).await
}
